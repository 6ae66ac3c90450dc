import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestRepo } from '../../support/git-repo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const KEY = 'cvg_local_stack_test_key_0123456789';

interface Stack {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Pids of the live processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return (
          Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
        );
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `bin/local.ts` on a fresh SQLite file; resolves once it listens. */
async function startLocal(env: Record<string, string>): Promise<Stack> {
  const repo = new TestRepo();
  repo.commit({ 'README.md': 'hello\n' }, 'init');
  const db = join(mkdtempSync(join(tmpdir(), 'converge-local-')), 'c.db');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bin', 'local.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        CONVERGE_DB_PATH: db,
        CONVERGE_REPO_DIR: repo.dir,
        CONVERGE_BOOTSTRAP_KEY: KEY,
        CONVERGE_WORKER_INTERVAL_MS: '200',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal's foreground job.
      detached: true,
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`exited ${code}: ${output}`)),
    );
  });
  return { child, url, output: () => output };
}

function stop(stack: Stack): Promise<number | null> {
  return new Promise((resolve) => {
    const { exitCode, signalCode } = stack.child;
    if (exitCode !== null || signalCode !== null) return resolve(exitCode);
    stack.child.once('exit', (code) => resolve(code));
    stack.child.kill('SIGTERM');
  });
}

const headers = { 'x-api-key': KEY, 'content-type': 'application/json' };

/** The value of the sample `name` in a Prometheus exposition, or 0. */
async function sample(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/v1/metrics`, { headers })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

const POLL = { timeout: 20_000, interval: 200 };

describe('local stack processes (bin/local.ts)', () => {
  let stack: Stack | undefined;

  afterEach(async () => {
    if (stack) await stop(stack);
    stack = undefined;
  });

  it("shows the worker process's metrics on /v1/metrics of the HTTP process", async () => {
    // Prepare
    stack = await startLocal({ CONVERGE_AUTO_MERGE: 'false' });
    const created = await fetch(`${stack.url}/v1/intents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: 'm-1', source: 'feature/none' }),
    });
    expect(created.status).toBe(201);
    // Act / Assess: the worker validates (and blocks: no such branch) and
    // reports it; the HTTP process renders it.
    const url = stack.url;
    await expect
      .poll(() => sample(url, 'converge_intents_blocked_total'), POLL)
      .toBeGreaterThanOrEqual(1);
  });

  it('serves one port from several HTTP processes, metrics added up, and stops cleanly', async () => {
    // Prepare
    stack = await startLocal({ CONVERGE_HTTP_PROCESSES: '2' });
    expect(stack.output()).toContain('(2 HTTP processes)');
    const url = stack.url;
    const created = await fetch(`${url}/v1/intents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ id: 'c-1', source: 'feature/none' }),
    });
    expect(created.status).toBe(201);
    // Act: 40 reads, each on a new connection, spread over both processes
    const statuses = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await fetch(`${url}/v1/intents/c-1`, {
          headers: { ...headers, connection: 'close' },
        });
        return res.status;
      }),
    );
    // Assess
    expect(statuses.every((status) => status === 200)).toBe(true);
    const series =
      'converge_http_requests_total{route="GET /v1/intents/{id}",status="200"}';
    await expect.poll(() => sample(url, series), POLL).toBe(40);
    expect(await stop(stack)).toBe(0);
    stack = undefined;
  });

  it('stops every process of the cluster on Ctrl-C (SIGINT to the process group)', async () => {
    // Prepare
    stack = await startLocal({ CONVERGE_HTTP_PROCESSES: '2' });
    const pid = stack.child.pid ?? 0;
    const children = childrenOf(pid);
    expect(children).toHaveLength(3); // two HTTP processes and the worker
    const exited = new Promise<{ code: number | null; signal: string | null }>(
      (resolve) =>
        stack?.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // Act
    process.kill(-pid, 'SIGINT');
    // Assess
    expect(await exited).toEqual({ code: 0, signal: null });
    await expect.poll(() => children.filter(alive), POLL).toEqual([]);
    stack = undefined;
  });

  it('leaves no process behind when the primary is killed with SIGKILL', async () => {
    // Prepare
    stack = await startLocal({ CONVERGE_HTTP_PROCESSES: '2' });
    const children = childrenOf(stack.child.pid ?? 0);
    expect(children).toHaveLength(3);
    // Act: nothing of the primary runs; its IPC channels close
    stack.child.kill('SIGKILL');
    // Assess
    await expect.poll(() => children.filter(alive), POLL).toEqual([]);
  });
});
