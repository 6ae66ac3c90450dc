/** Shared helpers of the load/ scripts: temp workspace, child stack, results. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RESULTS = join(ROOT, 'load', 'results');

/** Writes `load/results/<name>.json`. */
export function writeResult(name: string, data: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, `${name}.json`),
    `${JSON.stringify(data, null, 2)}\n`,
  );
}

/** A temp git repo on main with one commit and a passing Makefile. */
export function tempRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'converge-bench-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@converge.local');
  git('config', 'user.name', 'bench');
  writeFileSync(join(dir, 'Makefile'), 'lint:\n\t@true\ntest:\n\t@true\n');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  return dir;
}

/** A local stack child process on a free port with its own store and repo. */
export interface StackProcess {
  url: string;
  key: string;
  dbPath: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Extra node flags for the stack process from BENCH_STACK_NODE_ARGS, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the stack under load.
 */
function stackNodeArgs(): string[] {
  return (process.env.BENCH_STACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** Starts `bin/local.ts` and waits for its "listening" line. */
export async function startStack(options: {
  port: number;
  dbPath?: string;
  repoDir?: string;
  env?: Record<string, string>;
}): Promise<StackProcess> {
  const dbPath =
    options.dbPath ??
    join(mkdtempSync(join(tmpdir(), 'converge-bench-db-')), 'c.db');
  const key = 'cvg_bench_admin_key_0123456789abcdef';
  const child = spawn(
    process.execPath,
    [...stackNodeArgs(), '--import', 'tsx', join(ROOT, 'bin', 'local.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(options.port),
        CONVERGE_DB_PATH: dbPath,
        CONVERGE_REPO_DIR: options.repoDir ?? tempRepo(),
        CONVERGE_BOOTSTRAP_KEY: key,
        CONVERGE_RATE_LIMIT_RPM: '100000000',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('stack did not start')),
      60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`stack exited with ${code}: ${stderr.slice(-2000)}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    key,
    dbPath,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** Median and spread of repeated measurements. */
export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    median: at(0.5),
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    runs: values.length,
  };
}

/** Fields of /proc/<pid>/stat after the command name (Linux). */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/**
 * CPU time of the local stack, in ms, from /proc (null off Linux): `http`
 * is the stack process itself, `worker` its child processes (the worker
 * process, with the git commands it has waited for).
 */
export function stackCpuMs(
  pid: number,
): { http: number; worker: number } | null {
  const own = statFields(pid);
  if (own === null) return null;
  const ticks = (f: string[], from: number, to: number) =>
    f.slice(from, to).reduce((sum, v) => sum + Number(v), 0);
  let worker = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === pid) {
      worker += ticks(fields, 11, 15); // utime stime cutime cstime
    }
  }
  return { http: ticks(own, 11, 13) * TICK_MS, worker: worker * TICK_MS };
}

/** CPU ms per request of the stack process and its children together. */
export function totalCpuPerRequest(
  before: ReturnType<typeof stackCpuMs>,
  after: ReturnType<typeof stackCpuMs>,
  requests: number,
): number | null {
  const per = cpuPerRequest(before, after, requests);
  return per && Math.round((per.http + per.worker) * 1000) / 1000;
}

/** CPU ms per request between two `stackCpuMs` readings. */
export function cpuPerRequest(
  before: ReturnType<typeof stackCpuMs>,
  after: ReturnType<typeof stackCpuMs>,
  requests: number,
): { http: number; worker: number } | null {
  if (before === null || after === null || requests === 0) return null;
  const per = (ms: number) => Math.round((ms / requests) * 1000) / 1000;
  return {
    http: per(after.http - before.http),
    worker: per(after.worker - before.worker),
  };
}
