/**
 * Per-operation latency of the DynamoDB store on DynamoDB Local (loopback
 * only): events.append, intents.create/get/transition, locks.acquire/release
 * and deliveries.claim, first one call at a time, then 16 concurrent callers.
 * Each sample is one awaited port call (SDK + HTTP + the emulator), so the
 * numbers say how the adapter behaves locally, not what AWS would answer.
 *
 * Run: `npx tsx load/dynamodb-bench.ts [count]` (default 200 calls per
 * operation and phase). Writes load/results/dynamodb.json; `pass` records
 * the targets (p95 <= 50 ms sequential, <= 100 ms at 16 concurrent).
 * Bounded: one DynamoDB Local in memory, stopped by pid at the end.
 */
import { loadavg } from 'node:os';
import { DynamoDbStore } from '../shared/adapters/dynamodb/dynamodb-store.js';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { buildEvent, type EventType } from '../shared/domain/event.js';
import { newIntent } from '../shared/domain/intent.js';
import { systemClock } from '../shared/ports/clock.js';
import {
  createTestTable,
  localClient,
  startDynamoDbLocal,
} from '../test/support/dynamodb-local.js';
import { writeResult } from './bench-support.js';

const CONCURRENCY = 16;
const TARGET_P95_MS = { sequential: 50, concurrent: 100 };
const count = Number(process.argv[2] ?? 200);
if (!Number.isInteger(count) || count < 1) {
  throw new Error(`count must be a positive integer, got ${process.argv[2]}`);
}

type Op = (key: string) => Promise<unknown>;

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function percentile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * q));
  return sorted[index] ?? Number.NaN;
}

const event = (type: EventType, intentId: string) =>
  buildEvent(
    { type, intentId, payload: { bench: true } },
    randomIds,
    systemClock.nowIso(),
  );

/** The operations, in an order where each finds what it needs. */
function operations(store: DynamoDbStore): [string, Op][] {
  return [
    ['events.append', (k) => store.events.append(event('intent.created', k))],
    [
      'intents.create',
      (k) =>
        store.intents.create(
          newIntent({ id: k, source: `feature/${k}` }, systemClock.nowIso()),
        ),
    ],
    ['intents.get', (k) => store.intents.get(k)],
    [
      'intents.transition',
      (k) =>
        store.intents.transition({
          id: k,
          to: 'VALIDATED',
          expectedVersion: 1,
          event: event('intent.validated', k),
        }),
    ],
    ['locks.acquire', (k) => store.locks.acquire(`lock:${k}`, 'bench', 60_000)],
    ['locks.release', (k) => store.locks.release(`lock:${k}`, 'bench')],
    ['deliveries.claim', (k) => store.deliveries.claim(`delivery:${k}`)],
  ];
}

/** Runs `op` on `keys` with `concurrency` callers; one sample per call. */
async function measure(
  op: Op,
  keys: string[],
  concurrency: number,
): Promise<number[]> {
  const samples: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < keys.length; i = next++) {
      const start = performance.now();
      await op(keys[i] ?? '');
      samples.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return samples;
}

async function phase(
  store: DynamoDbStore,
  name: 'sequential' | 'concurrent',
  concurrency: number,
) {
  const keys = Array.from({ length: count }, (_, n) => `${name}-${n}`);
  const rows = [];
  for (const [operation, op] of operations(store)) {
    const started = performance.now();
    const sorted = (await measure(op, keys, concurrency)).sort((a, b) => a - b);
    const seconds = (performance.now() - started) / 1000;
    const p95Ms = round(percentile(sorted, 0.95));
    rows.push({
      operation,
      concurrency,
      calls: count,
      p50Ms: round(percentile(sorted, 0.5)),
      p95Ms,
      maxMs: round(sorted.at(-1) ?? Number.NaN),
      opsPerSecond: Math.round(count / seconds),
      pass: p95Ms <= TARGET_P95_MS[name],
    });
    console.log(
      `${name.padEnd(10)} ${operation.padEnd(18)} p50 ${rows.at(-1)?.p50Ms} ms, p95 ${p95Ms} ms`,
    );
  }
  return rows;
}

const local = await startDynamoDbLocal();
const client = localClient(local.endpoint);
try {
  const tableName = await createTestTable(client);
  const store = new DynamoDbStore({ client, tableName, clock: systemClock });
  const warmUp = Array.from({ length: 50 }, (_, n) => `warm-${n}`);
  for (const [, op] of operations(store)) await measure(op, warmUp, 1);
  const scenarios = [
    ...(await phase(store, 'sequential', 1)),
    ...(await phase(store, 'concurrent', CONCURRENCY)),
  ];
  await store.close();
  writeResult('dynamodb', {
    benchmark: 'DynamoDbStore on DynamoDB Local (loopback)',
    targetP95Ms: TARGET_P95_MS,
    scenarios,
    pass: scenarios.every((s) => s.pass),
    node: process.version,
    loadAverage1m: round(loadavg()[0] ?? Number.NaN),
    at: new Date().toISOString(),
  });
} finally {
  client.destroy();
  await local.stop();
}
