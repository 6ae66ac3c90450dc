import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routes as agentRoutes } from '../../../functions/agents.js';
import { routes as complianceRoutes } from '../../../functions/compliance.js';
import { routes as queueRoutes } from '../../../functions/queue.js';
import { routes as riskRoutes } from '../../../functions/risk.js';
import { parseEnv } from '../../../shared/config/env.js';
import { buildEvent } from '../../../shared/domain/event.js';
import { newIntent } from '../../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import {
  evaluateRisk,
  toSnakeCasePayload,
} from '../../../shared/domain/risk/index.js';
import { SequentialIds } from '../../support/fixtures.js';
import { call, openStack, type TestStack } from './local-stack.js';

describe('happy paths of the queue, risk, agent and compliance routes', () => {
  let stack: TestStack;
  let admin: string;

  beforeEach(async () => {
    stack = await openStack({
      extraRoutes: [
        ...queueRoutes,
        ...riskRoutes,
        ...agentRoutes,
        ...complianceRoutes,
      ],
    });
    Object.assign(stack.deps, {
      policy: DEFAULT_POLICY_CONFIG,
      env: parseEnv({}),
    });
    admin = await stack.issueKey({
      actor: 'root',
      role: 'admin',
      tenantId: null,
    });
    const now = stack.clock.nowIso();
    await stack.store.intents.create({
      ...newIntent({ id: 'i-1', source: 'feature/a', tenantId: 't1' }, now),
      status: 'VALIDATED',
    });
    const risk = evaluateRisk({
      intentId: 'i-1',
      source: 'feature/a',
      target: 'main',
      riskLevel: 'medium',
      dependencies: [],
      scopeHints: [],
      filesChanged: ['a.py'],
      conflicts: [],
    });
    await stack.store.events.append(
      buildEvent(
        {
          type: 'risk.evaluated',
          intentId: 'i-1',
          tenantId: 't1',
          payload: { ...toSnakeCasePayload(risk) },
        },
        new SequentialIds(900),
        now,
      ),
    );
  });
  afterEach(async () => {
    await stack.close();
  });

  const get = (path: string) => call(stack, 'GET', path, { key: admin });
  const post = (path: string, body: unknown) =>
    call(stack, 'POST', path, { key: admin, body });

  it('serves the queue: state, summary, inspect, run, confirm, reset', async () => {
    // Act
    const state = await get('/v1/queue/state?tenant_id=t1');
    const summary = await get('/v1/queue/summary?tenant_id=t1');
    const inspect = await get(
      '/v1/queue/inspect?tenant_id=t1&only_actionable=true',
    );
    const run = await post('/v1/queue/run', {
      tenant_id: 't1',
      target: 'release',
    });
    const confirm = await post('/v1/queue/confirm', {
      intent_id: 'i-1',
      merged_commit: 'abc123',
    });
    const reset = await post('/v1/queue/reset', {
      intent_id: 'i-1',
      set_status: 'READY',
    });
    // Assess
    expect(state.json).toMatchObject({ total: 1, by_status: { VALIDATED: 1 } });
    expect(summary.json).toMatchObject({ total: 1, pending_count: 1 });
    expect(inspect.json.items).toHaveLength(1);
    expect(run.json).toEqual({ decisions: [] });
    expect(confirm.json).toMatchObject({ id: 'i-1', status: 'MERGED' });
    expect(reset.json).toMatchObject({
      id: 'i-1',
      status: 'READY',
      retries: 0,
    });
  });

  it('serves risk shadow, impact edges, calibration and the policy log', async () => {
    // Act
    const shadow = await post('/v1/risk/shadow', { intent_id: 'i-1' });
    const recent = await get('/v1/risk/shadow/recent?tenant_id=t1');
    const edges = await get('/v1/impact/edges?intent_id=i-1');
    const calibrate = await post('/v1/policy/calibrate', { tenant_id: 't1' });
    const policyLog = await get('/v1/policy/recent?tenant_id=t1');
    // Assess
    for (const reply of [shadow, recent, edges, calibrate, policyLog]) {
      expect(reply.status).toBe(200);
    }
    expect(JSON.stringify(recent.json)).toContain('risk.shadow_evaluated');
    expect(JSON.stringify(edges.json)).toContain('merge_target');
  });

  it('serves agent authorization and performance, compliance alerts and history', async () => {
    // Act
    const authorize = await post('/v1/agent/authorize', {
      agent_id: 'bot',
      action: 'analyze',
      intent_id: 'i-1',
      tenant_id: 't1',
    });
    const performance = await get(
      '/v1/agent/performance?agent_id=bot&tenant_id=t1',
    );
    const alerts = await get('/v1/compliance/alerts?tenant_id=t1');
    await post('/v1/compliance/thresholds', {
      tenant_id: 't1',
      max_queue_tracked: 5,
    });
    const history = await get('/v1/compliance/thresholds/history?tenant_id=t1');
    // Assess
    expect(authorize.status).toBe(200);
    expect(authorize.json).toMatchObject({
      agent_id: 'bot',
      action: 'analyze',
    });
    expect(performance.status).toBe(200);
    expect(alerts.status).toBe(200);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.json)).toContain(
      'compliance.thresholds_updated',
    );
  });
});
