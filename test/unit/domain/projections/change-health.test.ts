import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../shared/domain/errors.js';
import { changeHealth } from '../../../../shared/domain/projections/change-health.js';
import { changeHealthTrend } from '../../../../shared/domain/projections/trends.js';
import {
  openWorld,
  riskPayload,
  simulation,
  type World,
} from './projection-world.js';

describe('changeHealth', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('scores 100 - 0.5 risk - 0.3 entropy for a clean change', async () => {
    const on = { intentId: 'i-1', tenantId: 't1', traceId: 'trace-a' };
    await world.add('simulation.completed', simulation(true), on);
    await world.add(
      'risk.evaluated',
      riskPayload({ risk: 40, entropy: 10 }),
      on,
    );

    const health = await changeHealth(world.deps, 'i-1', 't1');

    // 100 - 20 - 3 = 77
    expect(health).toMatchObject({
      intent_id: 'i-1',
      health_score: 77,
      status: 'green',
      risk_score: 40,
      entropy_score: 10,
      mergeable: true,
      learning: [],
    });
  });

  it('takes 30 off for a conflict and reads the latest events', async () => {
    const on = { intentId: 'i-2', tenantId: 't1' };
    await world.add('risk.evaluated', riskPayload({ risk: 10, entropy: 1 }), {
      ...on,
      hoursAgo: 5,
    });
    await world.add('risk.evaluated', riskPayload({ risk: 60, entropy: 30 }), {
      ...on,
      hoursAgo: 3,
    });
    await world.add('simulation.completed', simulation(false), {
      ...on,
      hoursAgo: 1,
    });

    const health = await changeHealth(world.deps, 'i-2', 't1');

    // 100 - 30 - 9 - 30 = 31
    expect(health.health_score).toBe(31);
    expect(health.status).toBe('red');
    expect(health.learning.map((l) => l.code)).toEqual([
      'learn.resolve_conflict',
      'learn.reduce_risk',
      'learn.reduce_entropy',
    ]);
  });

  it('is 70 and green for a conflict without a risk evaluation', async () => {
    await world.add('simulation.completed', simulation(false), {
      intentId: 'i-3',
    });

    const health = await changeHealth(world.deps, 'i-3', null);

    expect(health).toMatchObject({
      health_score: 70,
      status: 'green',
      mergeable: false,
      evaluated_at: null,
    });
  });

  it('throws NotFoundError with nothing recorded in the tenant', async () => {
    await world.add('risk.evaluated', riskPayload({}), {
      intentId: 'i-4',
      tenantId: 't2',
    });

    await expect(changeHealth(world.deps, 'i-4', 't1')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('changeHealthTrend', () => {
  it('joins each simulation with the risk of its trace, oldest first', async () => {
    const world = openWorld();
    try {
      await world.add('simulation.completed', simulation(true), {
        intentId: 'i-1',
        traceId: 'trace-1',
        hoursAgo: 10,
      });
      await world.add(
        'risk.evaluated',
        riskPayload({ risk: 20, entropy: 10 }),
        {
          intentId: 'i-1',
          traceId: 'trace-1',
          hoursAgo: 10,
        },
      );
      await world.add('simulation.completed', simulation(false), {
        intentId: 'i-1',
        traceId: 'trace-2',
        hoursAgo: 2,
      });
      await world.add('simulation.completed', simulation(true), {
        intentId: 'i-1',
        traceId: 'trace-0',
        hoursAgo: 24 * 40,
      });

      const points = await changeHealthTrend(world.deps, null, 30, 'i-1');

      // trace-1: 100 - 10 - 3 = 87; trace-2: conflict, no risk: 70.
      expect(points.map((p) => [p.trace_id, p.health_score, p.status])).toEqual(
        [
          ['trace-1', 87, 'green'],
          ['trace-2', 70, 'green'],
        ],
      );
    } finally {
      await world.close();
    }
  });
});
