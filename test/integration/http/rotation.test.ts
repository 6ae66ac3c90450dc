import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from '../../support/test-clock.js';
import { call, errorShape, openStack, type TestStack } from './local-stack.js';

describe('key rotation with grace, across processes', () => {
  let dir: string;
  let clock: TestClock;
  let first: TestStack;
  let second: TestStack;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'converge-rotation-'));
    const path = join(dir, 'converge.db');
    clock = new TestClock();
    // Two stores on one file stand for two Lambda instances.
    first = await openStack({ path, clock });
    second = await openStack({ path, clock });
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const whoami = (stack: TestStack, key: string) =>
    call(stack, 'GET', '/v1/auth/whoami', { key });

  it('keeps the old key valid during the grace period only', async () => {
    // Prepare
    const old = await first.issueKey({
      actor: 'ops',
      role: 'admin',
      tenantId: 't1',
      scopes: ['*'],
    });
    // Act
    const rotated = await call(first, 'POST', '/v1/auth/keys/rotate', {
      key: old,
      body: { grace_period_seconds: 120 },
    });
    // Assess
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({
      actor: 'ops',
      role: 'admin',
      tenant_id: 't1',
      scopes: ['*'],
      grace_period_seconds: 120,
    });
    const next = String(rotated.json.key);
    expect(next).not.toBe(old);
    expect((await whoami(second, old)).status).toBe(200);
    expect((await whoami(second, next)).json).toMatchObject({ actor: 'ops' });
    clock.advance(119_000);
    expect((await whoami(second, old)).status).toBe(200);
    clock.advance(1_000);
    const expired = await whoami(second, old);
    expect(expired.status).toBe(401);
    errorShape(expired);
    expect((await whoami(first, old)).status).toBe(401);
    expect((await whoami(second, next)).status).toBe(200);
    expect(
      await second.store.events.count({ type: 'access.key_rotated' }),
    ).toBe(1);
  });

  it('defaults the grace period to one hour and validates its range', async () => {
    const key = await first.issueKey({ role: 'admin' });
    const short = await call(first, 'POST', '/v1/auth/keys/rotate', {
      key,
      body: { grace_period_seconds: 59 },
    });
    expect(short.status).toBe(400);
    expect(short.json.details).toEqual([
      expect.objectContaining({ path: 'body.grace_period_seconds' }),
    ]);
    const rotated = await call(first, 'POST', '/v1/auth/keys/rotate', { key });
    expect(rotated.status).toBe(200);
    expect(rotated.json.grace_period_seconds).toBe(3600);
    clock.advance(3_599_000);
    expect((await whoami(second, key)).status).toBe(200);
    clock.advance(1_000);
    expect((await whoami(second, key)).status).toBe(401);
  });

  it('refuses rotation to a non-admin', async () => {
    const key = await first.issueKey({ role: 'operator' });
    const reply = await call(first, 'POST', '/v1/auth/keys/rotate', { key });
    expect(reply.status).toBe(403);
  });
});
