import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../shared/http/request-input.js';
import { call, errorShape, openStack, type TestStack } from './local-stack.js';
import { testRoutes } from './test-routes.js';

describe('request limits and input validation', () => {
  let stack: TestStack;
  let admin: string;

  beforeEach(async () => {
    stack = await openStack({
      extraRoutes: testRoutes,
      rateLimitPerMinute: 3,
      timeoutMs: 300,
    });
    admin = await stack.issueKey({ role: 'admin', tenantId: 't1' });
  });

  afterEach(async () => {
    await stack.close();
  });

  it('answers 429 with Retry-After past the per-tenant budget; health is exempt', async () => {
    stack.clock.advance(20_000);
    const other = await stack.issueKey({ tenantId: 't1', scopes: [] });
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(stack, 'GET', '/v1/test/risk', { key: admin })).status,
      ).toBe(200);
    }
    const limited = await call(stack, 'GET', '/v1/test/risk', { key: other });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(errorShape(limited).code).toBe('rate_limited');
    for (let i = 0; i < 5; i++) {
      expect((await call(stack, 'GET', '/v1/health')).status).toBe(200);
    }
    const otherTenant = await stack.issueKey({ tenantId: 't2' });
    expect(
      (await call(stack, 'GET', '/v1/test/risk', { key: otherTenant })).status,
    ).toBe(200);
    stack.clock.advance(40_000);
    expect(
      (await call(stack, 'GET', '/v1/test/risk', { key: admin })).status,
    ).toBe(200);
  });

  it('answers 413 to a body one byte over 1 MiB', async () => {
    const prefix = '{"actor":"';
    const suffix = '","role":"viewer"}';
    const filler = 'a'.repeat(
      MAX_BODY_BYTES + 1 - prefix.length - suffix.length,
    );
    const body = `${prefix}${filler}${suffix}`;
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES + 1);
    const reply = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body,
    });
    expect(reply.status).toBe(413);
    expect(errorShape(reply).code).toBe('payload_too_large');
  });

  it('answers 400 with details to an unknown field', async () => {
    const reply = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body: { actor: 'x', role: 'viewer', colour: 'red' },
    });
    expect(reply.status).toBe(400);
    expect(errorShape(reply).code).toBe('validation_failed');
    expect(reply.json.details).toEqual([
      { path: 'body.colour', message: 'Unknown field' },
    ]);
  });

  it('answers 400 with details to a wrong type', async () => {
    const reply = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body: { actor: 'x', role: 'root' },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.details).toEqual([
      expect.objectContaining({ path: 'body.role' }),
    ]);
  });

  it('answers 400 to invalid JSON', async () => {
    const reply = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body: '{"actor": ',
    });
    expect(reply.status).toBe(400);
    expect(errorShape(reply).message).toBe('Invalid JSON body');
  });

  it('answers 415 to a non-JSON content type', async () => {
    const reply = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body: 'actor=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reply.status).toBe(415);
    expect(errorShape(reply).code).toBe('unsupported_media_type');
    const binary = await call(stack, 'POST', '/v1/auth/keys', {
      key: admin,
      body: '{}',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(binary.status).toBe(415);
  });

  it('answers 404 to an unknown path and 405 to a wrong method', async () => {
    const missing = await call(stack, 'GET', '/v1/nowhere', { key: admin });
    expect(missing.status).toBe(404);
    expect(errorShape(missing).code).toBe('not_found');
    const wrong = await call(stack, 'PUT', '/v1/auth/keys', { key: admin });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, GET');
    errorShape(wrong);
  });

  it('answers 504 when the handler outlives the timeout', async () => {
    const reply = await call(stack, 'GET', '/v1/test/slow', { key: admin });
    expect(reply.status).toBe(504);
    expect(errorShape(reply).code).toBe('timeout');
  });

  it('answers 500 "Internal error" without leaking the cause', async () => {
    const reply = await call(stack, 'GET', '/v1/test/crash', { key: admin });
    expect(reply.status).toBe(500);
    expect(errorShape(reply)).toMatchObject({
      error: 'InternalError',
      message: 'Internal error',
    });
    expect(reply.text).not.toContain('hunter2');
  });
});
