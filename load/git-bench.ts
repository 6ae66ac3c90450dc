/**
 * Benchmark of GitScm.simulateMerge on a 5,000-file repository with a
 * 200-file change branch (target: p95 well under 100 ms).
 *
 * Run: `npx tsx load/git-bench.ts [runs]` (default 30 runs after 3 warm-ups).
 * Prints p50/p95 and writes load/results/git-scm.json (`pass` records the
 * target; the exit code does not, as a busy machine skews the tail).
 * Bounded: one temp repository, removed at the end.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitScm } from '../shared/adapters/git/git-scm.js';
import { gitEnvironment } from '../shared/adapters/git/run-git.js';

const FILES = 5000;
const CHANGED = 200;
const WARM_UPS = 3;
const TARGET_P95_MS = 100;
const runs = Number(process.argv[2] ?? 30);
if (!Number.isInteger(runs) || runs < 1) {
  throw new Error(`runs must be a positive integer, got ${process.argv[2]}`);
}
const env = gitEnvironment(process.env);

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}

function filePath(i: number): string {
  return `src/mod${Math.floor(i / 100)}/file${i % 100}.ts`;
}

function writeFile(repo: string, path: string, content: string): void {
  const full = join(repo, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

function body(i: number, tag: string): string {
  const lines = Array.from({ length: 20 }, (_, n) => `// ${tag} line ${n}`);
  return `export const value${i} = ${i};\n${lines.join('\n')}\n`;
}

/** main: 5,000 files; `change` edits 200; main then edits 50 others. */
function buildRepo(repo: string): void {
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Bench');
  git(repo, 'config', 'user.email', 'bench@converge.local');
  git(repo, 'config', 'commit.gpgsign', 'false');
  for (let i = 0; i < FILES; i += 1)
    writeFile(repo, filePath(i), body(i, 'base'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  git(repo, 'checkout', '-q', '-b', 'change');
  for (let i = 0; i < CHANGED; i += 1) {
    writeFile(repo, filePath(i * 25), body(i * 25, 'change'));
  }
  git(repo, 'commit', '-q', '-am', 'change 200 files');
  git(repo, 'checkout', '-q', 'main');
  for (let i = 0; i < 50; i += 1) {
    writeFile(repo, filePath(i * 25 + 1), body(i * 25 + 1, 'main'));
  }
  git(repo, 'commit', '-q', '-am', 'main moves');
  // Real repositories are mostly packed; loose objects would skew reads.
  git(repo, 'gc', '-q');
}

/** The value at index int(n * q) of the sorted samples (reference §10). */
function percentile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * q));
  return sorted[index] ?? Number.NaN;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * CPU milliseconds used so far by this process and its waited-for children
 * (the git commands), from /proc on Linux; null elsewhere. Unlike wall time,
 * it does not grow when other work competes for the CPUs.
 */
function cpuMsSoFar(ticksPerSecond: number): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return null;
  }
  // Fields after "(comm)": index 0 is field 3; cutime is 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const childTicks = Number(fields[13]) + Number(fields[14]);
  const own = process.cpuUsage();
  return (childTicks * 1000) / ticksPerSecond + (own.user + own.system) / 1000;
}

async function measure(scm: GitScm) {
  const ticks = Number(
    execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }),
  );
  const samples: number[] = [];
  let filesChanged = 0;
  let cpuStart: number | null = null;
  for (let i = 0; i < WARM_UPS + runs; i += 1) {
    if (i === WARM_UPS) cpuStart = cpuMsSoFar(ticks);
    const start = performance.now();
    const sim = await scm.simulateMerge('change', 'main');
    const elapsed = performance.now() - start;
    if (!sim.mergeable) throw new Error('benchmark merge should be clean');
    filesChanged = sim.filesChanged.length;
    if (i >= WARM_UPS) samples.push(elapsed);
  }
  const cpuEnd = cpuMsSoFar(ticks);
  const cpuMsPerRun =
    cpuStart === null || cpuEnd === null ? null : (cpuEnd - cpuStart) / runs;
  return { samples, filesChanged, cpuMsPerRun };
}

const root = mkdtempSync(join(tmpdir(), 'converge-git-bench-'));
try {
  const repo = join(root, 'repo');
  mkdirSync(repo);
  const buildStart = performance.now();
  buildRepo(repo);
  const buildMs = performance.now() - buildStart;
  const { samples, filesChanged, cpuMsPerRun } = await measure(
    new GitScm({ repoDir: repo }),
  );

  const sorted = [...samples].sort((a, b) => a - b);
  const result = {
    benchmark: 'GitScm.simulateMerge',
    repoFiles: FILES,
    filesChanged,
    runs,
    warmUps: WARM_UPS,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    targetP95Ms: TARGET_P95_MS,
    pass: percentile(sorted, 0.95) < TARGET_P95_MS,
    /** Node plus git CPU per simulation: the cost without CPU contention. */
    cpuMsPerRun: cpuMsPerRun === null ? null : round(cpuMsPerRun),
    repoBuildMs: Math.round(buildMs),
    git: git(repo, 'version'),
    node: process.version,
    /** Other work on the machine skews the tail; recorded for context. */
    loadAverage1m: round(loadavg()[0] ?? Number.NaN),
    at: new Date().toISOString(),
  };

  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'git-scm.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log(
    `simulateMerge over ${FILES} files, ${filesChanged} changed, ${runs} runs: ` +
      `p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, ` +
      `CPU ${result.cpuMsPerRun} ms/run, load ${result.loadAverage1m} ` +
      `(target p95 < ${TARGET_P95_MS} ms: ${result.pass ? 'pass' : 'FAIL'})`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
