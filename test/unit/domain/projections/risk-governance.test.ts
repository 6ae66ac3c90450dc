import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  NotFoundError,
  ValidationError,
} from '../../../../shared/domain/errors.js';
import { rolloutBucket } from '../../../../shared/domain/policy/index.js';
import { runCalibration } from '../../../../shared/domain/projections/calibration.js';
import { riskGateReport } from '../../../../shared/domain/projections/risk-gate-report.js';
import {
  effectiveRiskPolicy,
  setRiskPolicy,
} from '../../../../shared/domain/projections/risk-policy-admin.js';
import {
  recentDiagnostics,
  riskReview,
} from '../../../../shared/domain/projections/risk-review.js';
import { riskShadow } from '../../../../shared/domain/projections/risk-shadow.js';
import {
  openWorld,
  riskPayload,
  simulation,
  type World,
} from './projection-world.js';

const gate = (name: string, passed: boolean) => ({
  gate: name,
  passed,
  reason: passed ? 'ok' : `${name} failed`,
  value: 1,
  threshold: 1,
});

describe('riskGateReport', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('reports total, blocked, block rate and the newest blocks', async () => {
    await world.add(
      'policy.evaluated',
      {
        verdict: 'BLOCK',
        profile_used: 'medium',
        gates: [gate('verification', true), gate('entropy', false)],
        risk_gate: { would_block: true, enforced: false },
      },
      { intentId: 'i-old', tenantId: 't1', hoursAgo: 3 },
    );
    await world.add(
      'policy.evaluated',
      { verdict: 'ALLOW', gates: [gate('entropy', true)], risk_gate: {} },
      { intentId: 'i-ok', tenantId: 't1', hoursAgo: 2 },
    );
    await world.add(
      'policy.evaluated',
      {
        verdict: 'BLOCK',
        profile_used: 'high',
        gates: [gate('containment', false), gate('entropy', false)],
        risk_gate: { would_block: true, enforced: true },
      },
      { intentId: 'i-new', tenantId: 't1', hoursAgo: 1 },
    );
    await world.add(
      'policy.evaluated',
      { verdict: 'BLOCK' },
      { tenantId: 't2' },
    );

    const report = await riskGateReport(world.deps, 't1');

    expect(report).toMatchObject({
      tenant_id: 't1',
      total_evaluations: 3,
      total_blocked: 2,
      block_rate: 0.667,
      risk_gate: { would_block: 2, enforced: 1 },
    });
    expect(report.recent_blocks).toEqual([
      expect.objectContaining({
        intent_id: 'i-new',
        profile_used: 'high',
        failed_gates: ['containment', 'entropy'],
        reasons: ['containment failed', 'entropy failed'],
      }),
      expect.objectContaining({
        intent_id: 'i-old',
        failed_gates: ['entropy'],
      }),
    ]);
  });

  it('keeps only the newest 20 blocks', async () => {
    for (let i = 0; i < 25; i++) {
      await world.add(
        'policy.evaluated',
        { verdict: 'BLOCK', gates: [] },
        {
          intentId: `i-${i}`,
          hoursAgo: 30 - i,
        },
      );
    }

    const report = await riskGateReport(world.deps, null);

    expect(report.total_blocked).toBe(25);
    expect(report.block_rate).toBe(1);
    expect(report.recent_blocks).toHaveLength(20);
    expect(report.recent_blocks[0]?.intent_id).toBe('i-24');
  });

  it('is empty with no evaluations', async () => {
    const report = await riskGateReport(world.deps, null);

    expect(report).toMatchObject({
      total_evaluations: 0,
      total_blocked: 0,
      block_rate: 0,
      recent_blocks: [],
    });
  });
});

describe('tenant risk policy, shadow and calibration', () => {
  let world: World;

  beforeEach(() => {
    world = openWorld();
  });

  afterEach(async () => {
    await world.close();
  });

  it('bumps the version on each update and audits it', async () => {
    const first = await setRiskPolicy(world.deps, {
      tenantId: 't1',
      changes: { max_risk_score: 50 },
      actor: 'root',
    });
    const second = await setRiskPolicy(world.deps, {
      tenantId: 't1',
      changes: { mode: 'enforce' },
      actor: 'root',
    });

    expect(first.version).toBe(1);
    expect(second).toMatchObject({
      version: 2,
      max_risk_score: 50,
      mode: 'enforce',
      max_damage_score: 60,
    });
    expect(
      await world.store.events.count({ type: 'risk.policy_updated' }),
    ).toBe(2);
  });

  it('rejects an out-of-range ratio', async () => {
    await expect(
      setRiskPolicy(world.deps, {
        tenantId: 't1',
        changes: { enforce_ratio: 2 },
        actor: 'root',
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('shadow-evaluates the latest risk against the tenant policy', async () => {
    await setRiskPolicy(world.deps, {
      tenantId: 't1',
      changes: { max_risk_score: 20, mode: 'enforce', enforce_ratio: 1 },
      actor: 'root',
    });
    await world.add('risk.evaluated', riskPayload({ risk: 30, damage: 10 }), {
      intentId: 'test-001',
      tenantId: 't1',
    });

    const result = await riskShadow(world.deps, {
      intentId: 'test-001',
      tenantId: 't1',
      actor: 'op',
    });

    expect(result).toMatchObject({
      intent_id: 'test-001',
      would_block: true,
      enforced: false,
      mode: 'shadow',
      tenant_mode: 'enforce',
      would_enforce: true,
      policy_version: 1,
      breaches: [{ metric: 'risk_score', value: 30, limit: 20 }],
    });
    expect(result.rollout_bucket).toBe(rolloutBucket('test-001'));
    const stored = await world.store.events.query({
      type: 'risk.shadow_evaluated',
    });
    expect(stored.items).toHaveLength(1);
    expect(stored.items[0]?.payload.would_block).toBe(true);
  });

  it('needs a risk evaluation to shadow', async () => {
    await expect(
      riskShadow(world.deps, { intentId: 'nope', tenantId: null, actor: 'op' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('calibrates 1..20 to monotonic budgets and applies them audited', async () => {
    await setRiskPolicy(world.deps, {
      tenantId: 't1',
      changes: { max_risk_score: 50 },
      actor: 'root',
    });
    for (let e = 1; e <= 20; e++) {
      await world.add('risk.evaluated', riskPayload({ entropy: e }), {
        tenantId: 't1',
      });
    }

    const outcome = await runCalibration(world.deps, {
      tenantId: 't1',
      apply: true,
      actor: 'root',
    });

    // p75 = 16, p90 = 19, p95 = 20 (sorted[int(n q)])
    expect(outcome.raw).toEqual({
      low: 24,
      medium: 16,
      high: 19,
      critical: 16,
    });
    expect(outcome.budgets).toEqual({
      low: 24,
      medium: 16,
      high: 16,
      critical: 16,
    });
    expect(outcome).toMatchObject({ applied: true, version: 2 });
    const stored = await world.store.policies.getRiskPolicy('t1');
    expect(stored?.data).toMatchObject({
      max_risk_score: 50,
      profiles: { high: { entropy_budget: 16 }, low: { entropy_budget: 24 } },
    });
    expect(
      await world.store.events.count({ type: 'policy.calibration_applied' }),
    ).toBe(1);
    // A later policy update keeps the calibrated profiles.
    await setRiskPolicy(world.deps, {
      tenantId: 't1',
      changes: { max_damage_score: 40 },
      actor: 'root',
    });
    const after = await world.store.policies.getRiskPolicy('t1');
    expect(after?.data.profiles).toEqual(stored?.data.profiles);
    expect((await effectiveRiskPolicy(world.deps, 't1')).policy).toMatchObject({
      max_risk_score: 50,
      max_damage_score: 40,
    });
  });

  it('does not apply without data, and appends nothing then', async () => {
    await expect(
      runCalibration(world.deps, { tenantId: 't1', apply: true, actor: 'r' }),
    ).rejects.toBeInstanceOf(ValidationError);

    expect(await world.store.events.count()).toBe(0);
  });

  it('only reports without apply', async () => {
    await world.add('risk.evaluated', riskPayload({ entropy: 4 }));

    const outcome = await runCalibration(world.deps, {
      tenantId: null,
      apply: false,
      actor: 'r',
    });

    expect(outcome).toMatchObject({ applied: false, version: null });
    expect(outcome.budgets).toEqual({
      low: 10,
      medium: 8,
      high: 5,
      critical: 3.2,
    });
    expect(await world.store.policies.listRiskPolicies()).toEqual([]);
  });
});

describe('riskReview', () => {
  it('returns full diagnostics, with signals and bombs', async () => {
    const world = openWorld();
    try {
      const intent = await world.intent({ id: 'i-1', tenantId: 't1' });
      const on = { intentId: intent.id, tenantId: 't1', traceId: 'trace-r' };
      await world.add('simulation.completed', simulation(true), on);
      await world.add(
        'risk.evaluated',
        {
          ...riskPayload({ risk: 70, entropy: 25 }),
          signals: {
            entropic_load: 60,
            contextual_value: 10,
            complexity_delta: 10,
            path_dependence: 2,
          },
          bombs: [
            {
              type: 'thermal_death',
              severity: 'critical',
              message: '3/5 indicators',
              indicators: 3,
            },
          ],
          findings: [
            {
              code: 'semantic.core_target',
              severity: 'high',
              message: 'Targets main',
            },
          ],
        },
        on,
      );
      await world.add('policy.evaluated', { verdict: 'BLOCK' }, on);

      const review = await riskReview(world.deps, 'i-1', 't1');
      const diagnostics = await recentDiagnostics(world.deps, 't1');

      expect(review.diagnostics.map((d) => [d.code, d.severity])).toEqual([
        ['diag.bomb.thermal_death', 'critical'],
        ['diag.high_risk', 'high'],
        ['diag.high_entropic_load', 'high'],
        ['semantic.core_target', 'high'],
        ['diag.high_entropy', 'medium'],
      ]);
      expect(review.policy).toEqual({ verdict: 'BLOCK' });
      expect(review.history).toHaveLength(3);
      expect(review.compliance.tenant_id).toBe('t1');
      expect(review.learning.map((l) => l.code)).toEqual([
        'learn.critical_diagnostics',
        'learn.high_risk',
      ]);
      expect(diagnostics[0]?.diagnostics).toEqual(review.diagnostics);
      await expect(riskReview(world.deps, 'i-1', 't2')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    } finally {
      await world.close();
    }
  });
});
