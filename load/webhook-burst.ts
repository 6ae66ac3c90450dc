/**
 * Webhook burst and ingest (KPIS.md), against the local stack:
 * 1. burst: 500 signed `pull_request.opened` deliveries (unique delivery
 *    ids, PR numbers 1..500), every delivery sent twice, all 1,000 requests
 *    shuffled through 500 concurrent slots. Target: 0 5xx, exactly one 202
 *    and one `{duplicate: true}` per delivery, and, read from the SQLite file
 *    (read-only, after the stack stopped), exactly one `webhook.received`
 *    event, one claim and one intent per delivery. BURST_RUNS runs (default
 *    3), a fresh stack each.
 * 2. ingest, 200 connections, a unique delivery id per request (bodies
 *    rotate over 100 pre-signed PRs), a fresh stack per run warmed up for
 *    3 s first (unmeasured), median of BENCH_RUNS runs. Target >= 800 req/s,
 *    p99 <= 50 ms, 0 errors, read as two measurements (see http-bench.ts):
 *    capacity, closed-loop autocannon for SECONDS (median req/s >= 800), and
 *    latency, 800 req/s offered open-loop over the same 200 connections
 *    (`paced-load.ts`, median p99 <= 50 ms); errors of both count.
 * Both run on BENCH_HTTP_PROCESSES HTTP processes (default 2).
 * Run: `npx tsx load/webhook-burst.ts`; writes load/results/webhook-burst.json.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import autocannon, { type RequestParams } from 'autocannon';
import {
  stackCpuMs,
  startStack,
  summarize,
  totalCpuPerRequest,
  writeResult,
} from './bench-support.js';
import {
  countOf,
  machine,
  pool,
  pullRequestBody,
  pullRequestOpenedExample,
  readDb,
  type SignedDelivery,
  signedDelivery,
  waitFor,
  webhookSecretFile,
} from './chaos-support.js';
import { pacedLoad } from './paced-load.js';

const DELIVERIES = Number(process.env.BURST_DELIVERIES ?? 500);
const CONCURRENCY = Number(process.env.BURST_CONCURRENCY ?? 500);
const BURST_RUNS = Number(process.env.BURST_RUNS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 200;
const PORT = 18184;
const PATH = '/v1/integrations/github/webhook';
const REPO = 'Codertocat/Hello-World';
const STACK_ENV = {
  CONVERGE_WORKER_INTERVAL_MS: '3600000',
  CONVERGE_HTTP_PROCESSES: process.env.BENCH_HTTP_PROCESSES ?? '2',
};
const TARGET = { rps: 800, p99Ms: 50 };

interface Outcome {
  status: number;
  duplicate: boolean;
}

async function send(url: string, d: SignedDelivery): Promise<Outcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: d.headers,
      body: d.body,
    });
    const text = await res.text();
    return { status: res.status, duplicate: text.includes('"duplicate":true') };
  } catch {
    return { status: 0, duplicate: false }; // a network error
  }
}

/** A deterministic shuffle (LCG), so runs are comparable. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function storedCounts(dbPath: string, ids: string[]) {
  const sent = new Set(ids);
  return readDb(dbPath, (db) => {
    const rows = db
      .prepare(
        `SELECT json_extract(payload, '$.delivery_id') AS d, count(*) AS n
         FROM events WHERE event_type = 'webhook.received' GROUP BY d`,
      )
      .all() as { d: string; n: number }[];
    const perDelivery = new Map(rows.map((r) => [r.d, r.n]));
    return {
      receivedEvents: rows.reduce((sum, r) => sum + r.n, 0),
      deliveriesStoredOnce: ids.filter((id) => perDelivery.get(id) === 1)
        .length,
      claims: (
        db.prepare('SELECT delivery_id AS d FROM webhook_deliveries').all() as {
          d: string;
        }[]
      ).filter((r) => sent.has(r.d)).length,
      intents: countOf(
        db,
        'SELECT count(*) AS n FROM intents WHERE id LIKE ?',
        `${REPO}:pr-%`,
      ),
      intentCreatedEvents: countOf(
        db,
        `SELECT count(*) AS n FROM events WHERE event_type = 'intent.created'`,
      ),
    };
  });
}

async function burst(secret: string, secretFile: string) {
  const env = { ...STACK_ENV, CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: secretFile };
  const stack = await startStack({ port: PORT, env });
  const example = pullRequestOpenedExample();
  const ids = Array.from({ length: DELIVERIES }, () => randomUUID());
  const deliveries = await Promise.all(
    ids.map((id, i) =>
      signedDelivery(secret, pullRequestBody(example, i + 1), id),
    ),
  );
  const url = `${stack.url}${PATH}`;
  const jobs = shuffled([...deliveries, ...deliveries]).map(
    (d) => () => send(url, d),
  );
  const started = performance.now();
  const outcomes = await pool(jobs, CONCURRENCY);
  const burstMs = Math.round(performance.now() - started);
  const drained = await waitFor(
    () => storedCounts(stack.dbPath, ids).intents >= DELIVERIES,
    120_000,
    500,
  );
  await stack.stop('SIGTERM');
  const stored = storedCounts(stack.dbPath, ids);
  const count = (p: (o: Outcome) => boolean) => outcomes.filter(p).length;
  const result = {
    deliveries: DELIVERIES,
    requests: outcomes.length,
    concurrency: CONCURRENCY,
    burstMs,
    accepted202: count((o) => o.status === 202),
    duplicate200: count((o) => o.status === 200 && o.duplicate),
    fiveXx: count((o) => o.status >= 500),
    networkErrors: count((o) => o.status === 0),
    otherStatuses: count((o) => ![0, 200, 202].includes(o.status)),
    drainedWithin120s: drained,
    stored,
  };
  const pass =
    result.fiveXx === 0 &&
    result.networkErrors === 0 &&
    result.accepted202 === DELIVERIES &&
    result.duplicate200 === DELIVERIES &&
    stored.receivedEvents === DELIVERIES &&
    stored.deliveriesStoredOnce === DELIVERIES &&
    stored.claims === DELIVERIES &&
    stored.intents === DELIVERIES &&
    stored.intentCreatedEvents === DELIVERIES;
  return { ...result, pass };
}

async function bursts(secret: string, secretFile: string) {
  const runs: Awaited<ReturnType<typeof burst>>[] = [];
  for (let run = 0; run < BURST_RUNS; run++) {
    runs.push(await burst(secret, secretFile));
  }
  const total = (f: (r: (typeof runs)[number]) => number) =>
    runs.reduce((sum, r) => sum + f(r), 0);
  const least = (f: (r: (typeof runs)[number]) => number) =>
    Math.min(...runs.map(f));
  return {
    deliveries: DELIVERIES,
    requestsPerRun: 2 * DELIVERIES,
    concurrency: CONCURRENCY,
    runs: runs.length,
    burstMs: summarize(runs.map((r) => r.burstMs)),
    fiveXx: total((r) => r.fiveXx),
    networkErrors: total((r) => r.networkErrors),
    leastAccepted202: least((r) => r.accepted202),
    leastDuplicate200: least((r) => r.duplicate200),
    leastStoredOnce: least((r) => r.stored.deliveriesStoredOnce),
    perRun: runs,
    pass: runs.every((r) => r.pass),
  };
}

/** Autocannon options: a unique delivery id per request, bodies rotating. */
function ingestOptions(url: string, bodies: SignedDelivery[], seconds: number) {
  let n = 0;
  return {
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: RequestParams) => {
          const d = bodies[n++ % bodies.length] ?? bodies[0];
          const id = `ingest-${process.pid}-${seconds}-${n}`;
          const headers = { ...d?.headers, 'x-github-delivery': id };
          return { ...request, headers, body: d?.body ?? '' };
        },
      },
    ],
  };
}

/** Samples the size of the stack's WAL file; `stop()` gives the largest. */
function sampleWal(dbPath: string) {
  let max = 0;
  const timer = setInterval(() => {
    try {
      max = Math.max(max, statSync(`${dbPath}-wal`).size);
    } catch {
      // No WAL file at this instant.
    }
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}

function fiveXxOf(
  closed: Record<string, { count: number }>,
  paced: Record<string, number>,
): number {
  const closedCount = Object.entries(closed)
    .filter(([code]) => Number(code) >= 500)
    .reduce((sum, [, s]) => sum + s.count, 0);
  const pacedCount = Object.entries(paced)
    .filter(([code]) => Number(code) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  return closedCount + pacedCount;
}

async function ingestRun(secret: string, secretFile: string) {
  const env = { ...STACK_ENV, CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: secretFile };
  const stack = await startStack({ port: PORT, env });
  try {
    const example = pullRequestOpenedExample();
    const bodies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        signedDelivery(secret, pullRequestBody(example, 1000 + i), 'x'),
      ),
    );
    const url = `${stack.url}${PATH}`;
    // A fresh process answers its first requests slowly (module loading,
    // JIT): warm it up, unmeasured, as a long-running stack would be.
    await autocannon(ingestOptions(url, bodies, WARMUP_SECONDS));
    const pid = stack.child.pid ?? 0;
    const wal = sampleWal(stack.dbPath);
    const before = stackCpuMs(pid);
    const result = await autocannon(ingestOptions(url, bodies, SECONDS));
    const after = stackCpuMs(pid);
    const cpu = totalCpuPerRequest(before, after, result.requests.total);
    const paced = await pacedLoad({
      origin: stack.url,
      connections: CONNECTIONS,
      rate: TARGET.rps,
      seconds: SECONDS,
      warmupSeconds: 2,
      build: (i) => {
        const d = bodies[i % bodies.length] ?? bodies[0];
        const id = `paced-${process.pid}-${Date.now()}-${i}`;
        const headers = { ...d?.headers, 'x-github-delivery': id };
        return { method: 'POST', path: PATH, headers, body: d?.body ?? '' };
      },
    });
    const pacedFailed = paced.sent - (paced.statuses['202'] ?? 0);
    const walMaxBytes = wal.stop();
    return {
      // CPU ms per request of the stack process and of its children (the
      // HTTP processes of a cluster, the worker process) together.
      cpuMsPerRequest: cpu,
      rps: result.requests.average,
      closedLoopP99: result.latency.p99,
      p99: paced.latencyMs.p99,
      p50: paced.latencyMs.p50,
      paced,
      // Largest WAL file seen while the load ran (sampled every 250 ms).
      walMaxBytes,
      total: result.requests.total,
      // autocannon's `errors` already counts its `timeouts`.
      errors: result.non2xx + result.errors + pacedFailed,
      timeouts: result.timeouts,
      fiveXx: fiveXxOf(result.statusCodeStats ?? {}, paced.statuses),
      statusCodes: result.statusCodeStats ?? {},
    };
  } finally {
    await stack.stop('SIGTERM');
  }
}

async function ingest(secret: string, secretFile: string) {
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    runs.push(await ingestRun(secret, secretFile));
  }
  const rps = summarize(runs.map((r) => r.rps));
  const p99 = summarize(runs.map((r) => r.p99));
  const errors = runs.reduce((sum, r) => sum + r.errors, 0);
  const timeouts = runs.reduce((sum, r) => sum + r.timeouts, 0);
  const fiveXx = runs.reduce((sum, r) => sum + r.fiveXx, 0);
  return {
    connections: CONNECTIONS,
    seconds: SECONDS,
    requestsPerSecond: rps,
    p99Ms: p99,
    p50Ms: summarize(runs.map((r) => r.p50)),
    pacedRateRps: TARGET.rps,
    closedLoopP99Ms: summarize(runs.map((r) => r.closedLoopP99)),
    httpCpuMsPerRequest: summarize(
      runs.flatMap((r) =>
        r.cpuMsPerRequest === null ? [] : [r.cpuMsPerRequest],
      ),
    ),
    errors,
    timeouts,
    fiveXx,
    runs,
    target: { ...TARGET, errors: 0 },
    pass:
      rps.median >= TARGET.rps && p99.median <= TARGET.p99Ms && errors === 0,
  };
}

async function main(): Promise<void> {
  const { secret, file } = webhookSecretFile();
  const burstResult = await bursts(secret, file);
  console.log(JSON.stringify(burstResult, null, 2));
  const ingestResult = await ingest(secret, file);
  const data = {
    benchmark: 'signed pull_request.opened webhooks',
    burst: burstResult,
    ingest: ingestResult,
    pass: burstResult.pass && ingestResult.pass,
    machine: machine(),
    at: new Date().toISOString(),
  };
  writeResult('webhook-burst', data);
  console.log(JSON.stringify(data, null, 2));
  if (!data.pass) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
