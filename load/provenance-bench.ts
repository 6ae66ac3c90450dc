/**
 * Benchmark of provenance verification (shared/spec/KPIS.md: a record with
 * at least 10 claims, target p95 <= 15 ms): real merges through the engine
 * on a temp git repo and a file-backed SQLite store with a few thousand
 * other events, then `verifyProvenance` of the last record, end to end
 * (store reads and the git call), 200 runs after warm-ups.
 *
 * Run: `npx tsx load/provenance-bench.ts [runs]`. Writes
 * load/results/provenance.json. Bounded: fixed merges, events and runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitScm } from '../shared/adapters/git/git-scm.js';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { MakeChecks } from '../shared/adapters/make/make-checks.js';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../shared/domain/engine/engine-deps.js';
import { processQueue } from '../shared/domain/engine/process-queue.js';
import { buildEvent } from '../shared/domain/event.js';
import { newIntent } from '../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../shared/domain/policy/index.js';
import { findRecordEvent } from '../shared/domain/provenance/provenance-record.js';
import { verifyProvenance } from '../shared/domain/provenance/verify-provenance.js';
import { systemClock } from '../shared/ports/clock.js';
import { tempRepo, writeResult } from './bench-support.js';

const MERGES = 10;
const FILLER_EVENTS = 5000;
const WARM_UPS = 20;
const TARGET_P95_MS = 15;
const runs = Number(process.argv[2] ?? 200);

function percentile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * q));
  return sorted[index] ?? Number.NaN;
}

const round = (value: number): number => Math.round(value * 100) / 100;

/** p50 / p95 / min / max of `runs` timed calls after the warm-ups. */
async function measure(run: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < WARM_UPS + runs; i += 1) {
    const start = performance.now();
    await run();
    if (i >= WARM_UPS) samples.push(performance.now() - start);
  }
  const sorted = samples.sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

async function seed(deps: EngineDeps, repoDir: string): Promise<string> {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoDir, encoding: 'utf8' });
  for (let i = 0; i < MERGES; i += 1) {
    git('checkout', '-q', '-b', `feature/b${i}`, 'main');
    writeFileSync(join(repoDir, `f${i}.py`), `v${i}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', `b${i}`);
    git('checkout', '-q', 'main');
    const intent = newIntent(
      { id: `bench-${i}`, source: `feature/b${i}`, tenantId: 'bench' },
      deps.clock.nowIso(),
    );
    await deps.store.intents.create(intent);
    await processQueue(deps, {
      tenantId: 'bench',
      target: 'main',
      holder: 'bench',
      autoConfirm: true,
    });
  }
  for (let i = 0; i < FILLER_EVENTS; i += 1) {
    const event = buildEvent(
      {
        type: 'intent.created',
        intentId: `other-${i % 500}`,
        tenantId: i % 2 === 0 ? 'bench' : 'other',
        payload: { n: i },
      },
      deps.ids,
      deps.clock.nowIso(),
    );
    await deps.store.events.append(event);
  }
  return `bench-${MERGES - 1}`;
}

async function main() {
  const repoDir = tempRepo();
  const dbDir = mkdtempSync(join(tmpdir(), 'converge-prov-bench-'));
  const store = SqliteStore.open({
    path: join(dbDir, 'c.db'),
    clock: systemClock,
  });
  const deps: EngineDeps = {
    store,
    scm: new GitScm({ repoDir }),
    checks: new MakeChecks({ cwd: repoDir }),
    clock: systemClock,
    ids: randomIds,
    policy: DEFAULT_POLICY_CONFIG,
  };
  try {
    const intentId = await seed(deps, repoDir);
    const event = await findRecordEvent(store, intentId);
    if (!event) throw new Error('no provenance record was made');
    const record = event.payload;
    const mergedSha = String(record.merged_sha);
    const tree = await deps.scm.treeOf(mergedSha);
    // The same verification with git answered from memory: the store part.
    const storeOnly = { store, scm: { treeOf: async () => tree } };
    const endToEnd = await measure(() => verifyProvenance(deps, record));
    const storePart = await measure(() => verifyProvenance(storeOnly, record));
    const git = await measure(() => deps.scm.treeOf(mergedSha));
    const revParse = await measure(() => deps.scm.headSha(mergedSha));
    const last = await verifyProvenance(deps, record);
    const p95 = endToEnd.p95Ms;
    const report = {
      benchmark: 'verifyProvenance',
      node: process.version,
      at: new Date().toISOString(),
      loadAverage: loadavg().map(round),
      merges: MERGES,
      fillerEvents: FILLER_EVENTS,
      claims: last.claims.length,
      failedClaims: last.failed,
      runs,
      warmUps: WARM_UPS,
      ...endToEnd,
      targetP95Ms: TARGET_P95_MS,
      pass: p95 <= TARGET_P95_MS && last.ok && last.claims.length >= 10,
      breakdown: {
        storeOnly: storePart,
        gitTreeViaSimulateMerge: git,
        gitRevParseOnly: revParse,
      },
    };
    writeResult('provenance', report);
    console.log(
      `verifyProvenance: ${report.claims} claims, ${runs} runs: ` +
        `p50 ${report.p50Ms} ms, p95 ${report.p95Ms} ms ` +
        `(target p95 <= ${TARGET_P95_MS} ms: ${report.pass ? 'pass' : 'FAIL'}); ` +
        `store only p95 ${storePart.p95Ms} ms, git tree p95 ${git.p95Ms} ms, ` +
        `one rev-parse p95 ${revParse.p95Ms} ms`,
    );
    if (!report.pass) process.exitCode = 1;
  } finally {
    await store.close();
    rmSync(repoDir, { recursive: true, force: true });
    rmSync(dbDir, { recursive: true, force: true });
  }
}

await main();
