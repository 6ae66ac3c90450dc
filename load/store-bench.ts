/**
 * Benchmark of `intents.get` on the SQLite store: a file-backed WAL database
 * seeded with 10,000 intents and 100,000 events, then 10,000 more event
 * appends (throughput on the full database), then 20,000 reads of random
 * ids (target p95 <= 0.5 ms). Each sample is one awaited port call, so it includes the promise
 * round trip a handler pays, not just the SQLite step.
 *
 * Run: `npx tsx load/store-bench.ts [reads]` (default 20,000 after 2,000
 * warm-up reads). Prints p50/p95 and writes load/results/store.json (`pass`
 * records the target; the exit code does not, as a busy machine skews the
 * tail). Bounded: one temp database, removed at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import { buildEvent } from '../shared/domain/event.js';
import { newIntent } from '../shared/domain/intent.js';
import { systemClock } from '../shared/ports/clock.js';

const INTENTS = 10_000;
const EVENTS = 100_000;
const APPENDS = 10_000;
const WARM_UPS = 2_000;
const TARGET_P95_MS = 0.5;
const reads = Number(process.argv[2] ?? 20_000);
if (!Number.isInteger(reads) || reads < 1) {
  throw new Error(`reads must be a positive integer, got ${process.argv[2]}`);
}

/** A small deterministic PRNG (mulberry32), so every run reads the same ids. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value at index int(n * q) of the sorted samples (reference §10). */
function percentile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * q));
  return sorted[index] ?? Number.NaN;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
const idOf = (n: number): string => `o/r:pr-${n}`;

async function seed(store: SqliteStore): Promise<void> {
  const now = systemClock.nowIso();
  for (let n = 0; n < INTENTS; n += 1) {
    await store.intents.create(
      newIntent(
        {
          id: idOf(n),
          source: `feature/${n}`,
          priority: n % 5,
          tenantId: `t${n % 10}`,
          semantic: { problem_statement: `change ${n}`, objective: 'bench' },
          technical: { repo: 'o/r', pr_number: n, scope_hint: ['src/'] },
          checksRequired: ['lint', 'unit_tests'],
        },
        now,
      ),
    );
  }
}

/** Appends `count` events to random intents; returns events per second. */
async function appendEvents(
  store: SqliteStore,
  count: number,
): Promise<number> {
  const now = systemClock.nowIso();
  const start = performance.now();
  for (let n = 0; n < count; n += 1) {
    const event = buildEvent(
      { type: 'intent.updated', intentId: idOf(n % INTENTS), payload: { n } },
      randomIds,
      now,
    );
    await store.events.append(event);
  }
  return Math.round(count / ((performance.now() - start) / 1000));
}

async function sample(store: SqliteStore, count: number): Promise<number[]> {
  const next = random(42);
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = idOf(Math.floor(next() * INTENTS));
    const start = performance.now();
    const intent = await store.intents.get(id);
    const elapsed = performance.now() - start;
    if (intent === null) throw new Error(`seeded intent ${id} is missing`);
    samples.push(elapsed);
  }
  return samples;
}

const root = mkdtempSync(join(tmpdir(), 'converge-store-bench-'));
try {
  const path = join(root, 'bench.db');
  const store = SqliteStore.open({ path, clock: systemClock });
  const seedStart = performance.now();
  await seed(store);
  const seedMs = performance.now() - seedStart;
  const seedAppendPerSecond = await appendEvents(store, EVENTS);
  const appendPerSecond = await appendEvents(store, APPENDS);

  await sample(store, WARM_UPS);
  const samples = await sample(store, reads);
  await store.close();

  const check = new Database(path, { readonly: true });
  const journalMode = check.pragma('journal_mode', { simple: true });
  const sqliteVersion = check
    .prepare<[], { v: string }>('SELECT sqlite_version() AS v')
    .get()?.v;
  check.close();

  const sorted = [...samples].sort((a, b) => a - b);
  const result = {
    benchmark: 'SqliteStore.intents.get',
    intents: INTENTS,
    reads,
    warmUps: WARM_UPS,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    p99Ms: round(percentile(sorted, 0.99)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    targetP95Ms: TARGET_P95_MS,
    pass: percentile(sorted, 0.95) <= TARGET_P95_MS,
    seedMs: Math.round(seedMs),
    eventsBeforeReads: EVENTS + APPENDS,
    /** Throughput of the 100k seed appends, then of 10k more on top. */
    seedAppendPerSecond,
    appendPerSecond,
    journalMode,
    synchronous: 'NORMAL',
    sqlite: sqliteVersion,
    node: process.version,
    /** Other work on the machine skews the tail; recorded for context. */
    loadAverage1m: round(loadavg()[0] ?? Number.NaN),
    at: new Date().toISOString(),
  };

  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'store.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(
    `intents.get over ${INTENTS} intents, ${reads} reads: ` +
      `p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms ` +
      `(target p95 <= ${TARGET_P95_MS} ms: ${result.pass ? 'pass' : 'FAIL'}); ` +
      `event append ${appendPerSecond}/s on ${EVENTS} events`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
