import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes as agentRoutes } from '../../../functions/agents.js';
import { routes as complianceRoutes } from '../../../functions/compliance.js';
import { routes as dashboardRoutes } from '../../../functions/dashboard.js';
import { routes as eventRoutes } from '../../../functions/events.js';
import { routes as riskRoutes } from '../../../functions/risk.js';
import { parseEnv } from '../../../shared/config/env.js';
import { buildEvent } from '../../../shared/domain/event.js';
import { newIntent } from '../../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import { SequentialIds } from '../../support/fixtures.js';
import { call, errorShape, openStack, type TestStack } from './local-stack.js';

const governanceRoutes = [
  ...riskRoutes,
  ...agentRoutes,
  ...complianceRoutes,
  ...eventRoutes,
  ...dashboardRoutes,
];

describe('governance routes over the local stack', () => {
  let stack: TestStack;
  let admin: string;

  beforeEach(async () => {
    stack = await openStack({ extraRoutes: governanceRoutes });
    // The shared helper builds deps for the auth routes only; these routes
    // also read the policy config.
    Object.assign(stack.deps, {
      policy: DEFAULT_POLICY_CONFIG,
      env: parseEnv({}),
    });
    admin = await stack.issueKey({
      actor: 'root',
      role: 'admin',
      tenantId: null,
    });
  });

  afterEach(async () => {
    await stack.close();
  });

  const seedSimulations = async (tenantId: string, results: boolean[]) => {
    const ids = new SequentialIds(500);
    for (const mergeable of results) {
      await stack.store.events.append(
        buildEvent(
          {
            type: 'simulation.completed',
            tenantId,
            payload: { mergeable, conflicts: [], files_changed: [] },
          },
          ids,
          stack.clock.nowIso(),
        ),
      );
    }
  };

  it('lets an operator with the explicit .write scope set a policy (DECISIONS 6)', async () => {
    // Prepare
    const scoped = await stack.issueKey({
      role: 'operator',
      tenantId: 't1',
      scopes: ['risk.write'],
    });
    const unscoped = await stack.issueKey({ role: 'operator', tenantId: 't1' });
    const body = { tenant_id: 't1', max_risk_score: 40 };
    // Act
    const granted = await call(stack, 'POST', '/v1/risk/policy', {
      key: scoped,
      body,
    });
    const denied = await call(stack, 'POST', '/v1/risk/policy', {
      key: unscoped,
      body,
    });
    // Assess
    expect(granted.status).toBe(200);
    expect(denied.status).toBe(403);
  });

  it('forbids a viewer to set a risk policy; an admin bumps its version', async () => {
    const viewer = await stack.issueKey({ role: 'viewer', tenantId: 't1' });
    const body = { tenant_id: 't1', max_risk_score: 50 };

    const denied = await call(stack, 'POST', '/v1/risk/policy', {
      key: viewer,
      body,
    });
    const first = await call(stack, 'POST', '/v1/risk/policy', {
      key: admin,
      body,
    });
    const second = await call(stack, 'POST', '/v1/risk/policy', {
      key: admin,
      body: { tenant_id: 't1', mode: 'enforce' },
    });
    const list = await call(stack, 'GET', '/v1/risk/policy?tenant_id=t1', {
      key: viewer,
    });

    expect(denied.status).toBe(403);
    expect(errorShape(denied).message).toBe('Requires role admin');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ ok: true, tenant_id: 't1', version: 1 });
    expect(second.json).toMatchObject({
      version: 2,
      max_risk_score: 50,
      mode: 'enforce',
    });
    expect(list.json.items).toEqual([
      expect.objectContaining({ tenant_id: 't1', version: 2, mode: 'enforce' }),
    ]);
  });

  it('needs a tenant to write a risk policy', async () => {
    const reply = await call(stack, 'POST', '/v1/risk/policy', {
      key: admin,
      body: { max_risk_score: 50 },
    });

    expect(reply.status).toBe(400);
  });

  it('rejects an agent policy with atl 5', async () => {
    const reply = await call(stack, 'POST', '/v1/agent/policy', {
      key: admin,
      body: { agent_id: 'bot', tenant_id: 't1', atl: 5 },
    });
    const good = await call(stack, 'POST', '/v1/agent/policy', {
      key: admin,
      body: {
        agent_id: 'bot',
        tenant_id: 't1',
        atl: 2,
        min_test_coverage: 0.5,
      },
    });

    expect(reply.status).toBe(400);
    expect(errorShape(reply).code).toBe('validation_failed');
    expect(good.status).toBe(200);
    expect(good.json).toMatchObject({ agent_id: 'bot', atl: 2, version: 1 });
    expect(
      await stack.store.events.count({ type: 'agent.policy_updated' }),
    ).toBe(1);
  });

  it('reports compliance against thresholds just set', async () => {
    await seedSimulations('t1', [true, true, true, false]);
    const viewer = await stack.issueKey({ role: 'viewer', tenantId: 't1' });

    const before = await call(stack, 'GET', '/v1/compliance/report', {
      key: viewer,
    });
    const set = await call(stack, 'POST', '/v1/compliance/thresholds', {
      key: admin,
      body: {
        tenant_id: 't1',
        min_mergeable_rate: 0.7,
        max_conflict_rate: 0.3,
      },
    });
    const after = await call(stack, 'GET', '/v1/compliance/report', {
      key: viewer,
    });

    expect(before.json).toMatchObject({ passed: false, mergeable_rate: 0.75 });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ ok: true, tenant_id: 't1', version: 1 });
    expect(after.json).toMatchObject({
      passed: true,
      tenant_id: 't1',
      thresholds: { min_mergeable_rate: 0.7, max_conflict_rate: 0.3 },
    });
    expect(
      await stack.store.events.count({ type: 'compliance.thresholds_updated' }),
    ).toBe(1);
  });

  it('answers 400 to a risk review without intent_id', async () => {
    const reply = await call(stack, 'GET', '/v1/risk/review', { key: admin });

    expect(reply.status).toBe(400);
    expect(errorShape(reply).code).toBe('validation_failed');
  });

  it('returns every dashboard section', async () => {
    await seedSimulations('t1', [true]);
    await stack.store.intents.create(
      newIntent(
        { id: 'i-1', source: 'f', tenantId: 't1' },
        stack.clock.nowIso(),
      ),
    );

    const reply = await call(stack, 'GET', '/v1/dashboard?risk_trend_days=7', {
      key: await stack.issueKey({ role: 'viewer', tenantId: 't1' }),
    });

    expect(reply.status).toBe(200);
    expect(Object.keys(reply.json).sort()).toEqual([
      'compliance',
      'health',
      'metrics',
      'predictions',
      'queue',
      'risk_trend',
      'tenant_id',
      'timestamp',
    ]);
    expect(reply.json).toMatchObject({
      tenant_id: 't1',
      health: { health_score: 100, status: 'green', active: 1 },
      queue: { total: 1, pending_count: 1 },
      metrics: { simulations: 1 },
    });
  });

  it("forbids a tenant's viewer to read another tenant's report", async () => {
    const viewer = await stack.issueKey({ role: 'viewer', tenantId: 't1' });

    const reply = await call(
      stack,
      'GET',
      '/v1/compliance/report?tenant_id=t2',
      { key: viewer },
    );
    const own = await call(stack, 'GET', '/v1/compliance/report?tenant_id=t1', {
      key: viewer,
    });
    const byAdmin = await call(
      stack,
      'GET',
      '/v1/compliance/report?tenant_id=t2',
      { key: admin },
    );

    expect(reply.status).toBe(403);
    expect(errorShape(reply).error).toBe('ForbiddenError');
    expect(own.status).toBe(200);
    expect(byAdmin.status).toBe(200);
  });

  it('serves reads without appending governance events', async () => {
    const viewer = await stack.issueKey({ role: 'operator', tenantId: 't1' });
    const paths = [
      '/v1/health/repo/now',
      '/v1/health/repo/trend?days=7',
      '/v1/health/entropy/trend',
      '/v1/health/change/trend',
      '/v1/health/predict?horizon_days=3',
      '/v1/predictions',
      '/v1/summary',
      '/v1/metrics/integration',
      '/v1/risk/recent',
      '/v1/risk/gate/report',
      '/v1/diagnostics/recent',
      '/v1/dashboard/alerts',
      '/v1/events?limit=5',
      '/v1/audit/recent',
    ];
    const before = await stack.store.events.count();

    for (const path of paths) {
      const reply = await call(stack, 'GET', path, { key: viewer });
      expect([path, reply.status]).toEqual([path, 200]);
    }

    expect(await stack.store.events.count()).toBe(before);
  });
});
