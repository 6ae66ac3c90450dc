/**
 * Validation end to end (KPIS.md): merge simulation on a generated
 * 5,000-file repository with 200 changed files, risk, policy and every
 * event written to a file SQLite store; checks skipped. Target p95 <= 150 ms.
 *
 * Run: `npx tsx load/validation-bench.ts [runs]` (default 30 after 3
 * warm-ups); writes load/results/validation.json. Bounded: one temp repo
 * and one temp store, removed at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitScm } from '../shared/adapters/git/git-scm.js';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { MakeChecks } from '../shared/adapters/make/make-checks.js';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../shared/domain/engine/engine-deps.js';
import { validateIntent } from '../shared/domain/engine/validate-intent.js';
import { newIntent } from '../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../shared/domain/policy/index.js';
import { systemClock } from '../shared/ports/clock.js';
import { summarize, writeResult } from './bench-support.js';

const FILES = 5000;
const CHANGED = 200;
const WARM_UPS = 3;
const runs = Number(process.argv[2] ?? 30);

function buildRepo(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { maxBuffer: 1 << 26 });
  const write = (i: number, tag: string) => {
    const path = join(dir, `src/mod${Math.floor(i / 250)}/file${i}.ts`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `export const v${i} = '${tag}';\n`);
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'bench');
  git('config', 'user.email', 'bench@converge.local');
  for (let i = 0; i < FILES; i++) write(i, 'base');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'change');
  for (let i = 0; i < CHANGED; i++) write(i * 25, 'change');
  git('commit', '-q', '-am', 'change');
  git('checkout', '-q', 'main');
  git('gc', '-q');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'converge-validation-bench-'));
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  buildRepo(repo);
  const store = SqliteStore.open({
    path: join(dir, 'c.db'),
    clock: systemClock,
  });
  const deps: EngineDeps = {
    store,
    scm: new GitScm({ repoDir: repo }),
    checks: new MakeChecks({ cwd: repo }),
    clock: systemClock,
    ids: randomIds,
    policy: DEFAULT_POLICY_CONFIG,
  };
  try {
    await store.intents.create(
      newIntent(
        { id: 'bench-1', source: 'change', riskLevel: 'low' },
        systemClock.nowIso(),
      ),
    );
    const samples: number[] = [];
    let files = 0;
    for (let i = 0; i < WARM_UPS + runs; i++) {
      const start = performance.now();
      const outcome = await validateIntent(deps, 'bench-1', {
        skipChecks: true,
        reuseSimulation: false,
      });
      if (i >= WARM_UPS) samples.push(performance.now() - start);
      files = outcome.simulation.filesChanged.length;
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const p95 =
      sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ??
      0;
    const data = {
      benchmark: 'validateIntent end to end (checks skipped)',
      repoFiles: FILES,
      filesChanged: files,
      runs,
      ms: summarize(samples),
      p95Ms: Math.round(p95 * 100) / 100,
      targetP95Ms: 150,
      pass: p95 <= 150,
      loadAverage1m: loadavg()[0],
      at: new Date().toISOString(),
    };
    writeResult('validation', data);
    console.log(JSON.stringify(data, null, 2));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
