import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  issueSignals,
  predictIssues,
  type WindowStats,
} from '../../../../shared/domain/projections/predict-issues.js';
import {
  openWorld,
  riskPayload,
  simulation,
  type World,
} from './projection-world.js';

const quiet: WindowStats = {
  simulations: 0,
  conflict_rate: 0,
  evaluations: 0,
  avg_entropy: 0,
  avg_propagation: 0,
  avg_containment: 1,
  high_propagation: 0,
  requeues: 0,
  rejected: 0,
  merged: 0,
};

describe('predictIssues', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('raises all seven signals on a degrading day', async () => {
    // Previous window (24-48 h ago): clean merges, calm risk.
    for (let i = 0; i < 4; i++) {
      await world.add('simulation.completed', simulation(true), {
        hoursAgo: 30,
      });
    }
    for (let i = 0; i < 3; i++) {
      await world.add(
        'risk.evaluated',
        riskPayload({ entropy: 10, propagation: 10, containment: 0.8 }),
        { hoursAgo: 30 },
      );
    }
    // Current window: half the merges conflict, risk heats up.
    for (const ok of [true, true, false, false]) {
      await world.add('simulation.completed', simulation(ok), { hoursAgo: 2 });
    }
    for (let i = 0; i < 4; i++) {
      await world.add(
        'risk.evaluated',
        riskPayload({ entropy: 30, propagation: 45, containment: 0.5 }),
        { hoursAgo: 2 },
      );
    }
    for (let i = 0; i < 6; i++) await world.add('intent.requeued', {});
    for (let i = 0; i < 3; i++) await world.add('intent.rejected', {});
    await world.add('intent.merged', {});
    // Older than 48 h: ignored.
    await world.add('intent.rejected', {}, { hoursAgo: 50 });

    const prediction = await predictIssues(world.deps, null);

    expect(prediction.current).toEqual({
      simulations: 4,
      conflict_rate: 0.5,
      evaluations: 4,
      avg_entropy: 30,
      avg_propagation: 45,
      avg_containment: 0.5,
      high_propagation: 4,
      requeues: 6,
      rejected: 3,
      merged: 1,
    });
    expect(prediction.previous).toMatchObject({
      simulations: 4,
      conflict_rate: 0,
      evaluations: 3,
      avg_entropy: 10,
      avg_containment: 0.8,
      rejected: 0,
    });
    expect(prediction.signals.map((s) => [s.signal, s.severity])).toEqual([
      ['rising_conflict_rate', 'high'],
      ['entropy_spike', 'medium'],
      ['queue_stalling', 'high'],
      ['high_rejection_rate', 'critical'],
      ['bomb.cascade', 'high'],
      ['bomb.spiral', 'medium'],
      ['bomb.thermal_death', 'critical'],
    ]);
  });

  it('keeps tenants apart', async () => {
    for (let i = 0; i < 6; i++) {
      await world.add('intent.requeued', {}, { tenantId: 't2' });
    }

    const t1 = await predictIssues(world.deps, 't1');
    const t2 = await predictIssues(world.deps, 't2');

    expect(t1.signals).toEqual([]);
    expect(t2.signals.map((s) => s.signal)).toEqual(['queue_stalling']);
  });
});

describe('issueSignals thresholds', () => {
  it('is silent on a quiet day', () => {
    expect(issueSignals(quiet, quiet)).toEqual([]);
  });

  it('needs more than 3 simulations for a rising conflict rate', () => {
    const three = { ...quiet, simulations: 3, conflict_rate: 0.67 };
    const four = { ...quiet, simulations: 4, conflict_rate: 0.5 };
    const flat = { ...quiet, conflict_rate: 0.45 };

    expect(issueSignals(three, quiet)).toEqual([]);
    expect(issueSignals(four, quiet).map((s) => s.signal)).toEqual([
      'rising_conflict_rate',
    ]);
    // 0.5 is not above 0.45 + 0.1
    expect(issueSignals(four, flat)).toEqual([]);
  });

  it('needs an entropy above 15 and 1.2x the previous one', () => {
    const now = { ...quiet, evaluations: 4, avg_entropy: 18 };

    expect(issueSignals(now, { ...quiet, avg_entropy: 15 })).toEqual([]);
    expect(
      issueSignals(now, { ...quiet, avg_entropy: 14.9 }).map((s) => s.signal),
    ).toEqual(['entropy_spike']);
    expect(issueSignals({ ...now, avg_entropy: 15 }, quiet)).toEqual([]);
  });

  it('needs more than 3 decisions and over 40% rejected', () => {
    const two = { ...quiet, rejected: 2, merged: 3 };
    const three = { ...quiet, rejected: 3, merged: 1 };

    // 2 / 5 = 0.4 is not above 0.4
    expect(issueSignals(two, quiet)).toEqual([]);
    expect(issueSignals(three, quiet).map((s) => s.severity)).toEqual([
      'critical',
    ]);
    expect(issueSignals({ ...quiet, rejected: 3 }, quiet)).toEqual([]);
  });

  it('needs 3 evaluations in both windows for a spiral', () => {
    const now = { ...quiet, evaluations: 3, avg_containment: 0.5 };

    expect(
      issueSignals(now, { ...quiet, evaluations: 2, avg_containment: 0.9 }),
    ).toEqual([]);
    expect(
      issueSignals(now, {
        ...quiet,
        evaluations: 3,
        avg_containment: 0.9,
      }).map((s) => s.signal),
    ).toEqual(['bomb.spiral']);
  });
});
