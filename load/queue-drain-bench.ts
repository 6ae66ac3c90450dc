/**
 * Queue drain throughput: 1,000 VALIDATED intents on one target branch of a
 * real git repository, each branch adding one distinct new file (so all of
 * them merge cleanly), drained through `processQueue` with autoConfirm and
 * checks skipped, on a SQLite file store (WAL). Target >= 100 intents/s.
 *
 * Every intent is revalidated against the moved target (invariant 2) and
 * merged; with GitScm's merge trains each is simulated on the previous
 * one's merge and the branch moves once per train. The scm and train calls
 * are timed separately to show where the time goes, with the CPU time per
 * intent of node and of the git processes (less noisy than wall time on a
 * shared machine). `pass` also checks that main holds every intent's file
 * and merge commit.
 *
 * Run: `npx tsx load/queue-drain-bench.ts [intents]` (default 1,000).
 * Writes load/results/queue-drain.json. Bounded: temp repo and database,
 * removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitScm } from '../shared/adapters/git/git-scm.js';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { MakeChecks } from '../shared/adapters/make/make-checks.js';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../shared/domain/engine/engine-deps.js';
import { processQueue } from '../shared/domain/engine/process-queue.js';
import { newIntent } from '../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../shared/domain/policy/index.js';
import { systemClock } from '../shared/ports/clock.js';
import { tempRepo, writeResult } from './bench-support.js';

const TARGET_PER_SECOND = 100;
const MAX_RUNS = 5;
const intents = Number(process.argv[2] ?? 1_000);
if (!Number.isInteger(intents) || intents < 1) {
  throw new Error(`intents must be a positive integer, got ${process.argv[2]}`);
}

/** One branch per intent, each adding `files/<n>.txt`, in one fast-import. */
function createBranches(repoDir: string, count: number): void {
  const base = execFileSync('git', ['rev-parse', 'main'], { cwd: repoDir })
    .toString()
    .trim();
  const lines: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const content = `intent ${n}\n`;
    const message = `add file ${n}`;
    lines.push(
      `commit refs/heads/feature/${n}`,
      'committer bench <bench@converge.local> 1893456000 +0000',
      `data ${Buffer.byteLength(message)}`,
      message,
      `from ${base}`,
      `M 100644 inline files/${n}.txt`,
      `data ${Buffer.byteLength(content)}`,
      content,
    );
  }
  execFileSync('git', ['fast-import', '--quiet'], {
    cwd: repoDir,
    input: `${lines.join('\n')}\n`,
  });
}

/** Times every method call of `object` (as `prefix + name`) into `spent`. */
function timed<T extends object>(
  object: T,
  spent: Map<string, number>,
  prefix = '',
): T {
  return new Proxy(object, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const name = `${prefix}${String(prop)}`;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          const result: unknown = await Reflect.apply(value, target, args);
          // A merge train's own calls are timed too (train.simulate, ...).
          return name === 'openTrain' && typeof result === 'object' && result
            ? timed(result, spent, 'train.')
            : result;
        } finally {
          const ms = performance.now() - start;
          spent.set(name, (spent.get(name) ?? 0) + ms);
        }
      };
    },
  });
}

/** What main holds after the drain: one file and one merge per intent. */
function landedOnMain(repoDir: string) {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoDir, encoding: 'utf8' }).trim();
  const files = git('ls-tree', '--name-only', 'main:files');
  const mergeCommits = Number(git('rev-list', '--count', '--merges', 'main'));
  return { files: files === '' ? 0 : files.split('\n').length, mergeCommits };
}

/**
 * CPU time of this process and of its finished children (git), in ms:
 * unlike wall time it barely depends on what else the machine runs.
 * Children come from /proc (Linux); elsewhere they count as 0.
 */
function cpuMs(): { node: number; children: number } {
  const { user, system } = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime) sit at 13 and 14 after the name.
    const ticks = Number(fields[13]) + Number(fields[14]);
    children = (ticks * 1000) / 100;
  } catch {
    children = 0;
  }
  return { node: (user + system) / 1000, children };
}

function cpuPerIntent(
  before: { node: number; children: number },
  after: { node: number; children: number },
  merged: number,
) {
  const per = (ms: number) =>
    Math.round((ms / Math.max(merged, 1)) * 100) / 100;
  return {
    node: per(after.node - before.node),
    git: per(after.children - before.children),
  };
}

async function seed(store: SqliteStore, count: number): Promise<void> {
  const now = systemClock.nowIso();
  for (let n = 0; n < count; n += 1) {
    const id = `bench:${String(n).padStart(5, '0')}`;
    const intent = newIntent({ id, source: `feature/${n}` }, now);
    await store.intents.create({ ...intent, status: 'VALIDATED' });
  }
}

async function drain(deps: EngineDeps) {
  const counts: Record<string, number> = {};
  let runs = 0;
  for (; runs < MAX_RUNS; runs += 1) {
    const result = await processQueue(deps, {
      tenantId: null,
      target: 'main',
      holder: 'bench',
      autoConfirm: true,
      skipChecks: true,
      limit: intents,
    });
    for (const d of result.decisions) {
      counts[d.decision] = (counts[d.decision] ?? 0) + 1;
    }
    if (result.decisions.every((d) => d.decision === 'merged')) break;
  }
  return { counts, runs: runs + 1 };
}

const root = mkdtempSync(join(tmpdir(), 'converge-drain-bench-'));
const repoDir = tempRepo();
try {
  createBranches(repoDir, intents);
  const store = SqliteStore.open({
    path: join(root, 'c.db'),
    clock: systemClock,
  });
  await seed(store, intents);
  const spent = new Map<string, number>();
  const deps: EngineDeps = {
    store,
    scm: timed(new GitScm({ repoDir }), spent),
    checks: new MakeChecks({ cwd: repoDir }),
    clock: systemClock,
    ids: randomIds,
    policy: DEFAULT_POLICY_CONFIG,
  };
  const cpuBefore = cpuMs();
  const start = performance.now();
  const { counts, runs } = await drain(deps);
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuMs();
  await store.close();
  const merged = counts.merged ?? 0;
  const perSecond = Math.round((merged / seconds) * 10) / 10;
  const scmCallsMs = Object.fromEntries(
    [...spent].map(([k, v]) => [k, Math.round(v)]),
  );
  const sum = (...names: string[]) =>
    Math.round(names.reduce((a, n) => a + (spent.get(n) ?? 0), 0));
  // Simulations and merges, alone or in trains (docs/readiness.md reads these).
  const scmMs = {
    simulateMerge: sum('simulateMerge', 'train.simulate'),
    merge: sum('merge', 'train.stage', 'train.publish'),
  };
  const scmTotal = [...spent.values()].reduce((a, b) => a + b, 0);
  const landed = landedOnMain(repoDir);
  const result = {
    benchmark: 'processQueue drain (SQLite file store, real git)',
    intents,
    merged,
    decisions: counts,
    runs,
    seconds: Math.round(seconds * 100) / 100,
    intentsPerSecond: perSecond,
    targetPerSecond: TARGET_PER_SECOND,
    pass:
      merged === intents &&
      landed.files === intents &&
      landed.mergeCommits === intents &&
      perSecond >= TARGET_PER_SECOND,
    landed,
    scmMs,
    scmCallsMs,
    scmShare: Math.round((scmTotal / (seconds * 1000)) * 100) / 100,
    perIntentMs: Math.round((seconds * 1000 * 100) / Math.max(merged, 1)) / 100,
    cpuMsPerIntent: cpuPerIntent(cpuBefore, cpuAfter, merged),
    node: process.version,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    at: new Date().toISOString(),
  };
  writeResult('queue-drain', result);
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(root, { recursive: true, force: true });
  rmSync(repoDir, { recursive: true, force: true });
}
