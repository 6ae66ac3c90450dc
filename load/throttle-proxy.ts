/**
 * A loopback HTTP proxy in front of DynamoDB Local that answers a share of
 * requests as DynamoDB does when it throttles: 400 with a JSON
 * `ThrottlingException` or `ProvisionedThroughputExceededException`. Used by
 * load/chaos-dynamodb.ts; the mode can change while it runs.
 */
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { seeded } from './chaos-support.js';

/** What the proxy does with the next requests. */
export type ThrottleMode =
  | { kind: 'off' }
  /** Each request is throttled with probability `share` (seeded PRNG). */
  | { kind: 'share'; share: number }
  /**
   * Deterministic: the first `attempts` sends of each distinct request body
   * are throttled, the next one goes through (then the cycle restarts). A
   * caller that retries `attempts` times therefore always succeeds.
   */
  | { kind: 'first'; attempts: number };

/** Counters since the last `reset()`. */
export interface ThrottleStats {
  requests: number;
  throttled: number;
  forwarded: number;
}

/** A running proxy. */
export interface ThrottleProxy {
  url: string;
  stats: ThrottleStats;
  setMode(mode: ThrottleMode): void;
  reset(): void;
  close(): Promise<void>;
}

const ERRORS = [
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
] as const;

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function throttle(res: ServerResponse, n: number): void {
  const type = ERRORS[n % ERRORS.length] ?? ERRORS[0];
  const body = JSON.stringify({
    __type: `com.amazonaws.dynamodb.v20120810#${type}`,
    message: 'Rate of requests exceeds the allowed throughput.',
  });
  res.writeHead(400, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amzn-errortype': type,
    'x-amzn-requestid': `throttle-${n}`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  upstream.end(body);
}

/** Starts the proxy on 127.0.0.1 in front of `targetUrl`. */
export async function startThrottleProxy(
  targetUrl: string,
  seed = 7,
): Promise<ThrottleProxy> {
  const target = new URL(targetUrl);
  const random = seeded(seed);
  const stats: ThrottleStats = { requests: 0, throttled: 0, forwarded: 0 };
  const seen = new Map<string, number>();
  let mode: ThrottleMode = { kind: 'off' };
  const shouldThrottle = (body: Buffer): boolean => {
    if (mode.kind === 'off') return false;
    if (mode.kind === 'share') return random() < mode.share;
    const key = createHash('sha1').update(body).digest('hex');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n % (mode.attempts + 1) < mode.attempts;
  };
  const server = createServer((req, res) => {
    void readAll(req).then((body) => {
      stats.requests += 1;
      if (shouldThrottle(body)) {
        stats.throttled += 1;
        throttle(res, stats.throttled);
        return;
      }
      stats.forwarded += 1;
      forward(target, req, body, res);
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setMode: (next) => {
      mode = next;
      seen.clear();
    },
    reset: () => {
      stats.requests = 0;
      stats.throttled = 0;
      stats.forwarded = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
