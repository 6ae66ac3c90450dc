import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStack, type TestStack } from './local-stack.js';

/** The raw response head, as a client on the wire sees it. */
function head(
  stack: TestStack,
  method: string,
  path: string,
  key?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.url);
    const req = request(
      url,
      { method, headers: key === undefined ? {} : { 'x-api-key': key } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('local server framing and load signal', () => {
  let stack: TestStack;

  beforeEach(async () => {
    stack = await openStack();
  });

  afterEach(async () => {
    await stack.close();
  });

  it('sends Content-Length, not chunks, as API Gateway does', async () => {
    // Prepare
    const key = await stack.issueKey({ role: 'admin', tenantId: null });
    // Act
    const ok = await head(stack, 'GET', '/v1/auth/whoami', key);
    const missing = await head(stack, 'GET', '/v1/nowhere', key);
    // Assess
    expect(ok.status).toBe(200);
    expect(ok.headers['transfer-encoding']).toBeUndefined();
    expect(Number(ok.headers['content-length'])).toBe(
      Buffer.byteLength(ok.body),
    );
    expect(missing.status).toBe(404);
    expect(Number(missing.headers['content-length'])).toBe(
      Buffer.byteLength(missing.body),
    );
  });

  it('sends no Content-Length on a 204', async () => {
    // Prepare
    const admin = await stack.issueKey({ role: 'admin', tenantId: null });
    const [victim] = await stack.store.keys.list();
    // Act
    const reply = await head(
      stack,
      'DELETE',
      `/v1/auth/keys/${victim?.keyId ?? ''}`,
      admin,
    );
    // Assess
    expect(reply.status).toBe(204);
    expect(reply.headers['content-length']).toBeUndefined();
    expect(reply.body).toBe('');
  });

  it('reports itself busy while requests arrive, idle after a quiet window', async () => {
    // Prepare
    const idleAtStart = stack.server.busy();
    // Act
    await head(stack, 'GET', '/v1/health/live');
    const justAfter = stack.server.busy(60_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const afterQuiet = stack.server.busy(10);
    // Assess
    expect(idleAtStart).toBe(false);
    expect(justAfter).toBe(true);
    expect(afterQuiet).toBe(false);
    expect(stack.server.inFlight()).toBe(0);
  });
});
