import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, errorShape, openStack, type TestStack } from './local-stack.js';
import { testRoutes } from './test-routes.js';

describe('API key security over the local stack', () => {
  let stack: TestStack;

  beforeEach(async () => {
    stack = await openStack({ extraRoutes: testRoutes });
  });

  afterEach(async () => {
    await stack.close();
  });

  const denied = async () =>
    (await stack.store.events.query({ type: 'access.denied' })).items;

  it('answers 401 without a key', async () => {
    const reply = await call(stack, 'GET', '/v1/auth/whoami');
    expect(reply.status).toBe(401);
    expect(errorShape(reply)).toMatchObject({
      error: 'UnauthorizedError',
      code: 'unauthorized',
    });
  });

  it('answers 401 to an unknown key and records access.denied', async () => {
    const reply = await call(stack, 'GET', '/v1/auth/whoami', {
      key: 'cvg_not-a-key',
    });
    expect(reply.status).toBe(401);
    errorShape(reply);
    const events = await denied();
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      reason: 'Invalid API key',
      method: 'GET',
      path: '/v1/auth/whoami',
      sourceIp: '127.0.0.1',
      requestId: errorShape(reply).requestId,
    });
  });

  it('returns the principal from whoami', async () => {
    const key = await stack.issueKey({
      actor: 'alice',
      role: 'operator',
      tenantId: 't1',
      scopes: ['intents.read'],
    });
    const reply = await call(stack, 'GET', '/v1/auth/whoami', { key });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      actor: 'alice',
      tenant_id: 't1',
      role: 'operator',
      scopes: ['intents.read'],
      key_id: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('forbids a viewer on an admin route and records the reason', async () => {
    const key = await stack.issueKey({ actor: 'vic', role: 'viewer' });
    const reply = await call(stack, 'GET', '/v1/auth/keys', { key });
    expect(reply.status).toBe(403);
    expect(errorShape(reply)).toMatchObject({
      error: 'ForbiddenError',
      message: 'Requires role admin',
    });
    const events = await denied();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      tenantId: 't1',
      payload: {
        actor: 'vic',
        reason: 'Requires role admin',
        method: 'GET',
        path: '/v1/auth/keys',
      },
    });
  });

  it('answers 403 "Missing scope: x" when the key lacks the scope', async () => {
    const key = await stack.issueKey({ scopes: ['risk.read'] });
    const reply = await call(stack, 'GET', '/v1/auth/whoami', { key });
    expect(reply.status).toBe(403);
    expect(errorShape(reply).message).toBe('Missing scope: intents.read');
  });

  it('lets risk.* cover risk.read, and nothing else', async () => {
    const wildcard = await stack.issueKey({ scopes: ['risk.*'] });
    const other = await stack.issueKey({ scopes: ['queue.*'] });
    const all = await stack.issueKey({ scopes: ['*'] });
    expect(
      (await call(stack, 'GET', '/v1/test/risk', { key: wildcard })).status,
    ).toBe(200);
    expect(
      (await call(stack, 'GET', '/v1/test/risk', { key: all })).status,
    ).toBe(200);
    const no = await call(stack, 'GET', '/v1/test/risk', { key: other });
    expect(no.status).toBe(403);
    expect(errorShape(no).message).toBe('Missing scope: risk.read');
  });

  it('forbids cross-tenant writes to non-admins and allows admins', async () => {
    const operator = await stack.issueKey({ role: 'operator', tenantId: 't1' });
    const admin = await stack.issueKey({ role: 'admin', tenantId: 't1' });
    const body = { name: 'x' };
    const own = await call(stack, 'POST', '/v1/test/tenants/t1/things', {
      key: operator,
      body,
    });
    expect(own.status).toBe(200);
    const cross = await call(stack, 'POST', '/v1/test/tenants/t2/things', {
      key: operator,
      body,
    });
    expect(cross.status).toBe(403);
    expect(errorShape(cross).code).toBe('forbidden');
    const events = await denied();
    expect(events[0]?.payload).toMatchObject({
      reason: 'Cross-tenant access denied: t2',
    });
    const asAdmin = await call(stack, 'POST', '/v1/test/tenants/t2/things', {
      key: admin,
      body,
    });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.json).toEqual({ tenantId: 't2' });
  });

  it('answers 400 to a write that resolves to no tenant', async () => {
    const global = await stack.issueKey({ role: 'operator', tenantId: null });
    const reply = await call(stack, 'POST', '/v1/test/things', {
      key: global,
      body: {},
    });
    expect(reply.status).toBe(400);
    expect(errorShape(reply).code).toBe('validation_failed');
  });

  it('records access.granted for a granted write only', async () => {
    const key = await stack.issueKey({ role: 'operator', scopes: [] });
    await call(stack, 'GET', '/v1/test/risk', { key });
    await call(stack, 'POST', '/v1/test/tenants/t1/things', {
      key,
      body: { name: 'n' },
    });
    const granted = await stack.store.events.query({ type: 'access.granted' });
    expect(granted.items).toHaveLength(1);
    expect(granted.items[0]?.payload).toMatchObject({
      method: 'POST',
      path: '/v1/test/tenants/{tenantId}/things',
      actor: 'tester',
    });
  });

  it('manages keys: create, list without hashes, revoke', async () => {
    const admin = await stack.issueKey({
      role: 'admin',
      tenantId: null,
      actor: 'root',
    });
    const made = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body: {
        actor: 'bot',
        role: 'operator',
        tenant_id: 't9',
        scopes: ['risk.*'],
      },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({
      actor: 'bot',
      role: 'operator',
      tenant_id: 't9',
    });
    const newKey = String(made.json.key);
    expect(
      (await call(stack, 'GET', '/v1/test/risk', { key: newKey })).status,
    ).toBe(200);
    const list = await call(stack, 'GET', '/v1/auth/keys?tenant_id=t9', {
      key: admin,
    });
    expect(list.status).toBe(200);
    expect(list.text).not.toMatch(/key_?hash/i);
    expect(list.json.items).toEqual([
      expect.objectContaining({ actor: 'bot' }),
    ]);
    const del = await call(
      stack,
      'DELETE',
      `/v1/auth/keys/${String(made.json.key_id)}`,
      { key: admin },
    );
    expect(del.status).toBe(204);
    expect(
      (await call(stack, 'GET', '/v1/test/risk', { key: newKey })).status,
    ).toBe(401);
    const again = await call(
      stack,
      'DELETE',
      `/v1/auth/keys/${String(made.json.key_id)}`,
      { key: admin },
    );
    expect(again.status).toBe(404);
    expect(await stack.store.events.count({ type: 'access.key_created' })).toBe(
      2,
    );
  });
});
