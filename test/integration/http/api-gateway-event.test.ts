import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openStack, type TestStack } from './local-stack.js';
import { testRoutes } from './test-routes.js';

describe('the API Gateway proxy event the local stack builds', () => {
  let stack: TestStack;

  beforeEach(async () => {
    stack = await openStack({ extraRoutes: testRoutes });
  });

  afterEach(async () => {
    await stack.close();
  });

  it('keeps header casing and carries the template, decoded path parameters and multi-value query', async () => {
    const reply = await call(
      stack,
      'GET',
      '/v1/test/echo/o%2Fr%3Apr-1?a=1&a=2&b=x',
      {
        headers: { 'X-Custom-Header': 'v1' },
      },
    );
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      resource: '/v1/test/echo/{name}',
      path: '/v1/test/echo/o%2Fr%3Apr-1',
      pathParameters: { name: 'o/r:pr-1' },
      query: { a: ['1', '2'], b: ['x'] },
      header: 'v1',
      multiHeader: ['v1'],
      stage: 'local',
      authorizer: null,
    });
  });

  it('base64-encodes binary bodies and the router decodes them', async () => {
    const bytes = Buffer.from([0, 255, 1, 254]);
    const res = await fetch(`${stack.url}/v1/test/raw`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(await res.json()).toEqual({ base64: true, length: 4 });
    const text = await call(stack, 'POST', '/v1/test/raw', { body: 'héllo' });
    expect(text.json).toEqual({ base64: false, length: 5 });
  });
});
