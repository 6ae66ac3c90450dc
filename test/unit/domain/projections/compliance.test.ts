import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../shared/domain/errors.js';
import { DEFAULT_COMPLIANCE_THRESHOLDS } from '../../../../shared/domain/policy/index.js';
import {
  complianceAlerts,
  tenantCompliance,
} from '../../../../shared/domain/projections/compliance.js';
import { setComplianceThresholds } from '../../../../shared/domain/projections/compliance-admin.js';
import { openWorld, simulation, type World } from './projection-world.js';

describe('tenant compliance', () => {
  let world: World;

  beforeEach(async () => {
    world = openWorld();
    // Both tenants: 4 simulations, 3 mergeable -> 0.75 < 0.80 default.
    for (const tenantId of ['t1', 't2']) {
      for (const ok of [true, true, true, false]) {
        await world.add('simulation.completed', simulation(ok), { tenantId });
      }
    }
  });

  afterEach(async () => {
    await world.close();
  });

  it('checks against the defaults when the tenant set nothing', async () => {
    const report = await tenantCompliance(world.deps, 't2');

    expect(report.thresholds).toEqual(DEFAULT_COMPLIANCE_THRESHOLDS);
    expect(report).toMatchObject({
      tenant_id: 't2',
      passed: false,
      mergeable_rate: 0.75,
      conflict_rate: 0.25,
    });
    expect(report.alerts.map((a) => a.name)).toEqual([
      'mergeable_rate',
      'conflict_rate',
    ]);
  });

  it('uses the tenant thresholds merged over the defaults', async () => {
    await setComplianceThresholds(world.deps, {
      tenantId: 't1',
      changes: { min_mergeable_rate: 0.5 },
      actor: 'admin',
    });
    await setComplianceThresholds(world.deps, {
      tenantId: 't1',
      changes: { max_conflict_rate: 0.3 },
      actor: 'admin',
    });

    const report = await tenantCompliance(world.deps, 't1');
    const alerts = await complianceAlerts(world.deps, 't1');

    expect(report.thresholds).toEqual({
      ...DEFAULT_COMPLIANCE_THRESHOLDS,
      min_mergeable_rate: 0.5,
      max_conflict_rate: 0.3,
    });
    expect(report.passed).toBe(true);
    expect(alerts).toEqual({ tenant_id: 't1', passed: true, alerts: [] });
    expect((await tenantCompliance(world.deps, 't2')).passed).toBe(false);
  });

  it('counts resets and requeues as retries, and intents as tracked', async () => {
    await world.add('queue.reset', {}, { tenantId: 't1' });
    await world.add('intent.requeued', {}, { tenantId: 't1' });
    await world.add('intent.requeued', {}, { tenantId: 't1' });
    await world.add('intent.requeued', {}, { tenantId: 't2' });
    await world.intent({ tenantId: 't1' });

    const report = await tenantCompliance(world.deps, 't1');

    expect(report.retries_total).toBe(3);
    expect(report.queue_tracked).toBe(1);
  });

  it('versions each update and audits it', async () => {
    const first = await setComplianceThresholds(world.deps, {
      tenantId: 't1',
      changes: { max_retries_total: 10 },
      actor: 'alice',
    });
    const second = await setComplianceThresholds(world.deps, {
      tenantId: 't1',
      changes: { max_retries_total: 20 },
      actor: 'alice',
    });

    expect([first.version, second.version]).toEqual([1, 2]);
    const events = await world.store.events.query({
      type: 'compliance.thresholds_updated',
    });
    expect(events.items.map((e) => e.payload.version)).toEqual([2, 1]);
    expect(events.items[0]).toMatchObject({
      tenantId: 't1',
      payload: { actor: 'alice', changes: { max_retries_total: 20 } },
    });
  });

  it('rejects an out-of-range threshold and writes nothing', async () => {
    const before = await world.store.events.count();

    await expect(
      setComplianceThresholds(world.deps, {
        tenantId: 't1',
        changes: { min_mergeable_rate: 1.5 },
        actor: 'alice',
      }),
    ).rejects.toBeInstanceOf(ValidationError);

    expect(await world.store.events.count()).toBe(before);
    expect(await world.store.policies.getComplianceThresholds('t1')).toBeNull();
  });
});
