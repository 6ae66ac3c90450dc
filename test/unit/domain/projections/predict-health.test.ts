import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeHealthSnapshot } from '../../../../shared/domain/projections/health-snapshot.js';
import { predictHealth } from '../../../../shared/domain/projections/predict-health.js';
import { healthTrend } from '../../../../shared/domain/projections/trends.js';
import { openWorld, simulation, type World } from './projection-world.js';

describe('predictHealth', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  const snapshot = (
    daysAgo: number,
    health: number,
    extra: { entropy?: number; conflict?: number; tenantId?: string } = {},
  ) =>
    world.add(
      'health.snapshot',
      {
        health_score: health,
        avg_entropy: extra.entropy ?? 10,
        conflict_rate: extra.conflict ?? 0.1,
      },
      { hoursAgo: daysAgo * 24, tenantId: extra.tenantId ?? 't1' },
    );

  it('says unknown with fewer than 3 snapshots', async () => {
    await snapshot(3, 90);
    await snapshot(1, 80);

    const prediction = await predictHealth(world.deps, 't1', 7);

    expect(prediction).toEqual({
      status: 'unknown',
      horizon_days: 7,
      snapshots: 2,
      current_health: 80,
      projected_health: null,
      velocity: null,
      signals: [],
      should_gate: false,
      confidence: 'none',
    });
  });

  it('flags declining health and gates when the projection turns red', async () => {
    // Outside the 14-day window: ignored.
    await snapshot(20, 10);
    await snapshot(4, 90, { conflict: 0.1 });
    await snapshot(3, 85, { conflict: 0.1 });
    await snapshot(2, 60, { conflict: 0.2 });
    await snapshot(1, 50, { conflict: 0.2 });
    // Another tenant: ignored.
    await snapshot(1, 100, { tenantId: 't2' });

    const prediction = await predictHealth(world.deps, 't1', 7);

    // older [90, 85] mean 87.5; recent [60, 50] mean 55; velocity -32.5;
    // projected 55 - 32.5 = 22.5 (red) while the latest (50) is yellow.
    expect(prediction).toMatchObject({
      status: 'red',
      snapshots: 4,
      current_health: 50,
      projected_health: 22.5,
      velocity: { health: -32.5, entropy: 0, conflict_rate: 0.1 },
      should_gate: true,
      confidence: 'low',
    });
    expect(prediction.signals.map((s) => [s.code, s.severity])).toEqual([
      ['health_declining', 'high'],
      ['conflicts_rising', 'medium'],
    ]);
  });

  it('is confident with 7 snapshots and quiet when stable', async () => {
    for (let day = 7; day >= 1; day--) await snapshot(day, 80);

    const prediction = await predictHealth(world.deps, 't1', 7);

    expect(prediction).toMatchObject({
      status: 'green',
      projected_health: 80,
      signals: [],
      should_gate: false,
      confidence: 'high',
    });
  });

  it('reads only all-tenant snapshots for a tenant-less forecast', async () => {
    await snapshot(3, 90);
    await snapshot(2, 90);
    await snapshot(1, 90);
    for (let day = 3; day >= 1; day--) {
      await world.add(
        'health.snapshot',
        { health_score: 40, avg_entropy: 0, conflict_rate: 0 },
        { hoursAgo: day * 24 },
      );
    }

    const global = await predictHealth(world.deps, null, 7);
    const t1 = await predictHealth(world.deps, 't1', 7);

    expect([global.snapshots, global.projected_health]).toEqual([3, 40]);
    expect([t1.snapshots, t1.projected_health]).toEqual([3, 90]);
  });

  it('rates entropy velocity: medium above 3, high above 5', async () => {
    await snapshot(3, 80, { entropy: 10 });
    await snapshot(2, 80, { entropy: 14 });
    await snapshot(1, 80, { entropy: 14 });

    const prediction = await predictHealth(world.deps, 't1', 7);

    // older [10], recent [14, 14]: +4 -> medium
    expect(prediction.signals).toEqual([
      expect.objectContaining({
        code: 'entropy_rising',
        severity: 'medium',
        velocity: 4,
      }),
    ]);
  });
});

describe('takeHealthSnapshot', () => {
  it('records a health.snapshot that the trend and the forecast read', async () => {
    const world = openWorld();
    try {
      await world.add('simulation.completed', simulation(false), {
        tenantId: 't1',
      });
      const before = await world.store.events.count({
        type: 'health.snapshot',
      });

      const health = await takeHealthSnapshot(world.deps, 't1');

      expect(before).toBe(0);
      expect(health.health_score).toBe(70);
      const stored = await world.store.events.query({
        type: 'health.snapshot',
      });
      expect(stored.items).toHaveLength(1);
      expect(stored.items[0]).toMatchObject({
        tenantId: 't1',
        payload: { health_score: 70, status: 'green', conflict_rate: 1 },
      });
      const trend = await healthTrend(world.deps, 't1', 30);
      expect(trend).toEqual([
        expect.objectContaining({ health_score: 70, conflict_rate: 1 }),
      ]);
    } finally {
      await world.close();
    }
  });
});
