import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, errorShape, openStack, type TestStack } from './local-stack.js';

describe('health probes', () => {
  let stack: TestStack;

  beforeEach(async () => {
    stack = await openStack();
  });

  afterEach(async () => {
    await stack.close();
  });

  it('serves health and liveness without a key', async () => {
    const health = await call(stack, 'GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok', time: stack.clock.nowIso() });
    expect((await call(stack, 'GET', '/v1/health/live')).json).toEqual({
      status: 'alive',
    });
  });

  it('is ready while the store answers, and 503 once it is closed', async () => {
    const ready = await call(stack, 'GET', '/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready' });
    await stack.store.close();
    const down = await call(stack, 'GET', '/v1/health/ready');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(errorShape(down)).toMatchObject({
      code: 'transient',
      message: 'Not ready: store unavailable',
    });
  });
});
