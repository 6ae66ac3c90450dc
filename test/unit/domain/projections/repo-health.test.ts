import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthStatus } from '../../../../shared/domain/projections/health-score.js';
import {
  computeRepoHealth,
  repoHealth,
} from '../../../../shared/domain/projections/repo-health.js';
import {
  openWorld,
  riskPayload,
  simulation,
  type World,
} from './projection-world.js';

const meta = { tenantId: null, timestamp: '2030-01-10T00:00:00.000Z' };

describe('repoHealth', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('applies the health formula to the log and the intents', async () => {
    // Prepare: 4 simulations (3 mergeable), entropies 10 and 20, 2
    // rejections inside 24 h and 1 outside, 1 merge, 2 active intents.
    const t = { tenantId: 't1' };
    for (const ok of [true, true, true, false]) {
      await world.add('simulation.completed', simulation(ok), t);
    }
    await world.add('risk.evaluated', riskPayload({ entropy: 10 }), t);
    await world.add('risk.evaluated', riskPayload({ entropy: 20 }), t);
    await world.add('intent.rejected', {}, { ...t, hoursAgo: 2 });
    await world.add('intent.rejected', {}, { ...t, hoursAgo: 23 });
    await world.add('intent.rejected', {}, { ...t, hoursAgo: 30 });
    await world.add('intent.merged', {}, { ...t, hoursAgo: 5 });
    await world.intent({ tenantId: 't1', status: 'READY' });
    await world.intent({ tenantId: 't1', status: 'VALIDATED' });
    await world.intent({ tenantId: 't1', status: 'MERGED' });

    // Act
    const health = await repoHealth(world.deps, 't1');

    // Assess: 100 - 30 * 0.25 - 0.5 * 15 - 1.5 * 2 = 82
    expect(health).toMatchObject({
      tenant_id: 't1',
      timestamp: '2030-01-10T00:00:00.000Z',
      health_score: 82,
      status: 'green',
      mergeable_rate: 0.75,
      conflict_rate: 0.25,
      avg_entropy: 15,
      simulations: 4,
      risk_evaluations: 2,
      active: 2,
      merged_24h: 1,
      rejected_24h: 2,
    });
    expect(health.learning.map((l) => l.code)).toEqual([
      'learn.low_mergeability',
    ]);
    expect(health.learning[0]?.metric).toEqual({
      observed: 0.75,
      target: 0.85,
    });
  });

  it('is 100 and green with an empty log', async () => {
    const health = await repoHealth(world.deps, null);

    expect(health).toMatchObject({
      health_score: 100,
      status: 'green',
      mergeable_rate: 1,
      conflict_rate: 0,
      avg_entropy: 0,
      learning: [],
    });
  });

  it('counts only the requested tenant', async () => {
    await world.add('simulation.completed', simulation(false), {
      tenantId: 't2',
    });
    await world.add('simulation.completed', simulation(true), {
      tenantId: 't1',
    });

    const t1 = await repoHealth(world.deps, 't1');
    const all = await repoHealth(world.deps, null);

    expect(t1.mergeable_rate).toBe(1);
    expect(all.mergeable_rate).toBe(0.5);
    expect(all.health_score).toBe(85);
  });
});

describe('computeRepoHealth', () => {
  it('is yellow at 50: conflicts 0.5, entropy 40, 10 rejections', () => {
    // 100 - 15 - 20 - 15 = 50
    const health = computeRepoHealth(
      {
        simulations: 10,
        mergeable: 5,
        entropies: [40],
        active: 0,
        merged24h: 0,
        rejected24h: 10,
      },
      meta,
    );

    expect(health.health_score).toBe(50);
    expect(health.status).toBe('yellow');
    expect(health.learning.map((l) => l.code)).toEqual([
      'learn.low_mergeability',
      'learn.high_entropy',
      'learn.frequent_rejections',
      'learn.low_health',
    ]);
  });

  it('caps entropy at 50 and rejections at 20, and is red at 15', () => {
    // 100 - 30 * 1 - 0.5 * 50 - 1.5 * 20 = 15
    const health = computeRepoHealth(
      {
        simulations: 1,
        mergeable: 0,
        entropies: [80],
        active: 0,
        merged24h: 0,
        rejected24h: 30,
      },
      meta,
    );

    expect(health.health_score).toBe(15);
    expect(health.status).toBe('red');
  });
});

describe('healthStatus', () => {
  it.each([
    [100, 'green'],
    [70, 'green'],
    [69.9, 'yellow'],
    [40, 'yellow'],
    [39.9, 'red'],
    [0, 'red'],
  ] as const)('colours %d as %s', (score, colour) => {
    expect(healthStatus(score)).toBe(colour);
  });
});
