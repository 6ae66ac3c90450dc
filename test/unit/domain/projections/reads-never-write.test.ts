import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  agentPerformance,
  authorizeAgentAction,
  changeHealth,
  changeHealthTrend,
  complianceAlerts,
  dashboard,
  dashboardAlerts,
  effectiveRiskPolicy,
  entropyTrend,
  healthTrend,
  impactEdges,
  integrationMetrics,
  listAgentPolicies,
  listComplianceThresholds,
  listRiskPolicies,
  predictHealth,
  predictIssues,
  recentDiagnostics,
  repoHealth,
  riskGateReport,
  riskReview,
  riskShadow,
  riskTrend,
  setAgentPolicy,
  summary,
  takeHealthSnapshot,
  tenantCompliance,
} from '../../../../shared/domain/projections/index.js';
import {
  openWorld,
  riskPayload,
  simulation,
  type World,
} from './projection-world.js';

describe('read projections (DECISIONS 8)', () => {
  let world: World;

  beforeEach(async () => {
    world = openWorld();
    const intent = await world.intent({
      id: 'i-1',
      tenantId: 't1',
      originType: 'agent',
      technical: { agent_id: 'bot' },
    });
    const on = { intentId: intent.id, tenantId: 't1', traceId: 'trace-1' };
    await world.add('simulation.completed', simulation(true), on);
    await world.add('risk.evaluated', riskPayload({ risk: 30 }), on);
    await world.add('policy.evaluated', { verdict: 'ALLOW', gates: [] }, on);
    await world.add('intent.merged', {}, on);
    await world.add(
      'health.snapshot',
      { health_score: 90 },
      { tenantId: 't1' },
    );
    await world.store.policies.upsertRiskPolicy('t1', { max_risk_score: 50 });
    await world.store.policies.upsertComplianceThresholds('t1', {
      max_conflict_rate: 0.3,
    });
    await world.store.policies.upsertAgentPolicy('bot', 't1', { atl: 2 });
  });

  afterEach(async () => {
    await world.close();
  });

  it('leave the event count unchanged', async () => {
    const { deps } = world;
    const before = await world.store.events.count();

    for (const tenant of ['t1', null]) {
      await repoHealth(deps, tenant);
      await riskTrend(deps, tenant, 30);
      await entropyTrend(deps, tenant, 30);
      await healthTrend(deps, tenant, 30);
      await changeHealthTrend(deps, tenant, 30);
      await predictHealth(deps, tenant, 7);
      await predictIssues(deps, tenant);
      await tenantCompliance(deps, tenant);
      await complianceAlerts(deps, tenant);
      await listComplianceThresholds(deps.store, tenant);
      await integrationMetrics(deps, tenant);
      await agentPerformance(deps, 'bot', tenant);
      await recentDiagnostics(deps, tenant);
      await riskGateReport(deps, tenant);
      await listRiskPolicies(deps, tenant);
      await effectiveRiskPolicy(deps, tenant);
      await listAgentPolicies(deps, { tenantId: tenant });
      await dashboard(deps, tenant, 30);
      await dashboardAlerts(deps, tenant);
      await summary(deps, tenant);
    }
    await changeHealth(deps, 'i-1', 't1');
    await riskReview(deps, 'i-1', 't1');
    await impactEdges(deps, 'i-1', 't1');

    expect(await world.store.events.count()).toBe(before);
  });

  it('while the named writes append exactly one event each', async () => {
    const { deps } = world;
    const count = () => world.store.events.count();
    const start = await count();

    await riskShadow(deps, { intentId: 'i-1', tenantId: 't1', actor: 'op' });
    await takeHealthSnapshot(deps, 't1');
    await setAgentPolicy(deps, {
      policy: { agent_id: 'bot', tenant_id: 't1', atl: 3 },
      actor: 'root',
    });
    await authorizeAgentAction(deps, {
      agentId: 'bot',
      action: 'analyze',
      intentId: 'i-1',
      tenantId: null,
      actor: 'root',
    });

    expect(await count()).toBe(start + 4);
  });
});

describe('agent projections', () => {
  it('scores an agent by the decisions on the intents it originated', async () => {
    const world = openWorld();
    try {
      for (const id of ['a-1', 'a-2', 'a-3']) {
        await world.intent({
          id,
          tenantId: 't1',
          originType: 'agent',
          technical: { agent_id: 'bot' },
        });
      }
      await world.intent({ id: 'h-1', tenantId: 't1' });
      await world.add('intent.merged', {}, { intentId: 'a-1', tenantId: 't1' });
      await world.add('intent.merged', {}, { intentId: 'a-2', tenantId: 't1' });
      await world.add(
        'intent.rejected',
        {},
        { intentId: 'a-3', tenantId: 't1' },
      );
      await world.add(
        'intent.blocked',
        {},
        { intentId: 'a-3', tenantId: 't1' },
      );
      await world.add('intent.merged', {}, { intentId: 'h-1', tenantId: 't1' });

      const perf = await agentPerformance(world.deps, 'bot', 't1');

      // success 2 / 4 = 0.5; trust min(100, 50 + 2) = 52
      expect(perf).toMatchObject({
        intents: 3,
        merged: 2,
        rejected: 1,
        blocked: 1,
        success_rate: 0.5,
        trust_score: 52,
      });
    } finally {
      await world.close();
    }
  });

  it('authorizes against the stored policy, risk and approvals', async () => {
    const world = openWorld();
    try {
      await world.intent({ id: 'i-9', tenantId: 't1', riskLevel: 'medium' });
      await world.add('risk.evaluated', riskPayload({ risk: 45, damage: 20 }), {
        intentId: 'i-9',
        tenantId: 't1',
      });
      await setAgentPolicy(world.deps, {
        policy: {
          agent_id: 'bot',
          tenant_id: 't1',
          atl: 2,
          max_risk_score: 50,
          require_human_approval: false,
          require_compliance_pass: false,
          allow_actions: ['analyze', 'automerge'],
          action_overrides: { automerge: { max_risk_score: 30 } },
        },
        actor: 'root',
      });
      const ask = (action: string) =>
        authorizeAgentAction(world.deps, {
          agentId: 'bot',
          action,
          intentId: 'i-9',
          tenantId: null,
          actor: 'root',
        });

      const analyze = await ask('analyze');
      const automerge = await ask('automerge');

      expect(analyze.allowed).toBe(true);
      expect(automerge).toMatchObject({
        allowed: false,
        reasons: ['Risk score 45 > agent limit 30'],
        tenant_id: 't1',
        policy_source: 'stored',
      });
      const events = await world.store.events.query({
        type: 'agent.authorized',
      });
      expect(events.items.map((e) => e.payload.allowed)).toEqual([false, true]);
    } finally {
      await world.close();
    }
  });
});
