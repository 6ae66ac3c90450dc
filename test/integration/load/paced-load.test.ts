import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedLoad } from '../../../load/paced-load.js';

/** A loopback server: 200 with a body, or 418 on /teapot; `stallOnce` ms once. */
async function serve(
  stallOnceMs = 0,
): Promise<{ server: Server; origin: string }> {
  let stalled = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const answer = () => {
        res.statusCode = req.url === '/teapot' ? 418 : 200;
        res.end(JSON.stringify({ echoed: body.length }));
      };
      if (stallOnceMs > 0 && !stalled && req.url === '/slow') {
        stalled = true;
        // Blocks the whole loop, as a GC pause or a busy core would.
        const until = Date.now() + stallOnceMs;
        while (Date.now() < until);
      }
      answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

describe('pacedLoad (open-loop load generator)', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('sends rate x seconds requests on schedule over keep-alive connections and counts statuses', async () => {
    // Prepare
    const started = await serve();
    server = started.server;
    // Act
    const result = await pacedLoad({
      origin: started.origin,
      connections: 4,
      rate: 200,
      seconds: 1,
      warmupSeconds: 0.25,
      build: (i) => ({
        method: 'POST',
        path: i % 10 === 0 ? '/teapot' : '/ok',
        headers: { 'content-type': 'application/json' },
        body: '{"n":1}',
      }),
    });
    // Assess: the warm-up's 50 requests are not counted
    expect(result.sent).toBe(200);
    expect(result.statuses).toEqual({ '200': 180, '418': 20 });
    expect(result.errors).toBe(0);
    expect(result.latencyMs.p50).toBeLessThan(50);
  });

  it('times each request from its scheduled send, so a stall shows in the tail', async () => {
    // Prepare: the server stalls 300 ms once; 100 requests/s keep coming
    const started = await serve(300);
    server = started.server;
    // Act
    const result = await pacedLoad({
      origin: started.origin,
      connections: 2,
      rate: 100,
      seconds: 2,
      build: (i) => ({
        method: 'GET',
        path: i === 50 ? '/slow' : '/ok',
        headers: {},
      }),
    });
    // Assess: the ~30 requests scheduled during the stall waited for it
    expect(result.sent).toBe(200);
    expect(result.errors).toBe(0);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(250);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(200);
    expect(result.latencyMs.p50).toBeLessThan(50);
  });

  it('counts a request the server never answers as an error after the timeout', async () => {
    // Prepare: a server that reads and never answers /hang
    const hang = createServer((req, res) => {
      if (req.url !== '/hang') res.end('ok');
    });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    server = hang;
    const { port } = hang.address() as AddressInfo;
    // Act
    const result = await pacedLoad({
      origin: `http://127.0.0.1:${port}`,
      connections: 2,
      rate: 20,
      seconds: 1,
      timeoutMs: 200,
      build: (i) => ({
        method: 'GET',
        path: i === 3 ? '/hang' : '/',
        headers: {},
      }),
    });
    hang.closeAllConnections();
    // Assess
    expect(result.sent).toBe(20);
    expect(result.errors).toBe(1);
    expect(result.statuses).toEqual({ '200': 19 });
  });
});
