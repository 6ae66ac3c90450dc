/**
 * Helpers shared by the chaos, burst and fuzz scripts under load/: waiting,
 * read-only views of a stack's SQLite file, signed GitHub deliveries and
 * machine facts for the results.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sign } from '@octokit/webhooks-methods';
import Database from 'better-sqlite3';

export { sleep };

/** A source of numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: small and seeded, so a run's random choices can be replayed. */
export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Polls `check` every `everyMs` until it is true or `timeoutMs` passed. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}

/** Runs `jobs` with at most `limit` in flight; results in completion order. */
export async function pool<T>(
  jobs: readonly (() => Promise<T>)[],
  limit: number,
): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (job) out.push(await job());
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}

/** Runs `fn` on the SQLite file opened read-only, then closes it. */
export function readDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}

/** One number from a `SELECT count(*) AS n ...` query. */
export function countOf(
  db: Database.Database,
  sql: string,
  ...params: unknown[]
): number {
  const row = db.prepare(sql).get(...params) as { n?: number } | undefined;
  return row?.n ?? 0;
}

/** SHA-256 of lines, sorted first so the order of reads does not matter. */
export function digestLines(lines: readonly string[]): string {
  return createHash('sha256')
    .update([...lines].sort().join('\n'))
    .digest('hex');
}

/** Where a run happened: the machine is shared, so say how loaded it was. */
export function machine() {
  return {
    node: process.version,
    cpus: cpus().length,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** A webhook secret in a temp file, for CONVERGE_GITHUB_WEBHOOK_SECRET_FILE. */
export function webhookSecretFile(): { secret: string; file: string } {
  const secret = `bench-secret-${process.pid}-${Date.now()}`;
  const file = join(mkdtempSync(join(tmpdir(), 'converge-secret-')), 's.txt');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, file };
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `pull_request.opened` example of @octokit/webhooks-examples. */
export function pullRequestOpenedExample(): Json {
  const require = createRequire(import.meta.url);
  const path = require.resolve('@octokit/webhooks-examples');
  const all: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const defs = Array.isArray(all) ? all.filter(isObject) : [];
  const examples = defs.find((d) => d.name === 'pull_request')?.examples;
  const opened = Array.isArray(examples)
    ? examples.filter(isObject).find((e) => e.action === 'opened')
    : undefined;
  if (!opened) throw new Error('no pull_request.opened example');
  return opened;
}

/** The example with PR number `n` (a distinct intent per number). */
export function pullRequestBody(example: Json, n: number): string {
  const pr = isObject(example.pull_request) ? example.pull_request : {};
  return JSON.stringify({
    ...example,
    number: n,
    pull_request: { ...pr, number: n, title: `Burst PR ${n}` },
  });
}

/** A signed delivery: body and the three GitHub headers. */
export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/** Signs `body` as GitHub would, under `deliveryId`. */
export async function signedDelivery(
  secret: string,
  body: string,
  deliveryId: string,
): Promise<SignedDelivery> {
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': await sign(secret, body),
    },
  };
}
