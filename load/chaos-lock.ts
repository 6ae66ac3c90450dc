/**
 * Recovery (KPIS.md): a worker is SIGKILLed while it holds a branch's queue
 * lock. The local stack runs with CONVERGE_QUEUE_LOCK_TTL=5 and a 250 ms
 * worker interval; a second process (this file with `hold`) opens the same
 * SQLite file, takes the branch's queue lock as a worker pass does
 * (`store.locks.acquire(queueLockName(...), holder, ttl)`), and hangs. An
 * intent is created on that branch; it must stay READY while the lock is
 * held (the stack's worker is locked out), then the holder is SIGKILLed and
 * we measure kill -> the intent's first status change. Target: the next
 * worker processes within the lock TTL (5 s) of the kill, and within TTL +
 * one worker interval + 1 s of validation of the lock being taken (the
 * worst case: a worker killed right after it took the lock). CHAOS_RUNS
 * runs (default 3).
 * Run: `npx tsx load/chaos-lock.ts`; writes load/results/chaos-lock.json.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import { queueLockName } from '../shared/domain/engine/process-queue.js';
import { systemClock } from '../shared/ports/clock.js';
import {
  startStack,
  summarize,
  tempRepo,
  writeResult,
} from './bench-support.js';
import { machine, sleep, waitFor } from './chaos-support.js';

const TTL_S = 5;
const INTERVAL_MS = 250;
const HELD_MS = 1_500;
/** Lock taken -> progress, worst case: TTL + one interval + one validation. */
const LEASE_BOUND_MS = TTL_S * 1000 + INTERVAL_MS + 1_000;
const RUNS = Number(process.env.CHAOS_RUNS ?? 3);
const PORT = 18185;
const TENANT = 'chaos-lock';
const LOCK = queueLockName(TENANT, undefined, 'main');

type Stack = Awaited<ReturnType<typeof startStack>>;

/** The doomed worker: takes the lock, says so, and never lets go. */
async function hold(dbPath: string): Promise<void> {
  const store = SqliteStore.open({ path: dbPath, clock: systemClock });
  const holder = `doomed-worker-${process.pid}`;
  const lock = await store.locks.acquire(LOCK, holder, TTL_S * 1000);
  if (!lock) process.exit(2);
  console.log(`LOCKED ${JSON.stringify(lock)}`);
  setInterval(() => undefined, 60_000); // mid-pass, forever
}

function branchRepo(): string {
  const dir = tempRepo();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  for (let run = 0; run < RUNS; run++) {
    git('checkout', '-q', '-b', `feature/lock-${run}`, 'main');
    writeFileSync(join(dir, `lock-${run}.txt`), `run ${run}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', `lock ${run}`);
  }
  git('checkout', '-q', 'main');
  return dir;
}

function spawnHolder(dbPath: string): Promise<ChildProcess> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', self, 'hold', dbPath],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no lock')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('LOCKED')) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}

async function statusOf(stack: Stack, id: string): Promise<string> {
  const res = await fetch(`${stack.url}/v1/intents/${id}`, {
    headers: { 'x-api-key': stack.key },
  });
  const body = (await res.json()) as { status?: string };
  return body.status ?? `http-${res.status}`;
}

async function oneRun(stack: Stack, run: number) {
  const holder = await spawnHolder(stack.dbPath);
  const lockedAt = Date.now();
  const id = `lock-${run}`;
  const created = await fetch(`${stack.url}/v1/intents`, {
    method: 'POST',
    headers: { 'x-api-key': stack.key, 'content-type': 'application/json' },
    body: JSON.stringify({
      id,
      source: `feature/lock-${run}`,
      target: 'main',
      tenant_id: TENANT,
    }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  await sleep(HELD_MS);
  const whileHeld = await statusOf(stack, id);
  const exited = new Promise((r) => holder.once('exit', r));
  holder.kill('SIGKILL');
  const killedAt = Date.now();
  await exited;
  let status = whileHeld;
  const progressed = await waitFor(
    async () => {
      status = await statusOf(stack, id);
      return status !== 'READY';
    },
    30_000,
    25,
  );
  const progressAt = Date.now();
  return {
    run,
    statusWhileHeld: whileHeld,
    statusAfter: status,
    progressed,
    killToProgressMs: progressAt - killedAt,
    lockToProgressMs: progressAt - lockedAt,
  };
}

async function main(): Promise<void> {
  const stack = await startStack({
    port: PORT,
    repoDir: branchRepo(),
    env: {
      CONVERGE_QUEUE_LOCK_TTL: String(TTL_S),
      CONVERGE_WORKER_INTERVAL_MS: String(INTERVAL_MS),
    },
  });
  const runs = [];
  try {
    for (let run = 0; run < RUNS; run++) runs.push(await oneRun(stack, run));
  } finally {
    await stack.stop('SIGTERM');
  }
  const killToProgress = summarize(runs.map((r) => r.killToProgressMs));
  const data = {
    scenario: 'worker SIGKILLed while holding the queue lock',
    lockTtlSeconds: TTL_S,
    workerIntervalMs: INTERVAL_MS,
    heldBeforeKillMs: HELD_MS,
    killToProgressMs: killToProgress,
    lockToProgressMs: summarize(runs.map((r) => r.lockToProgressMs)),
    runs,
    target: {
      killToProgressMs: TTL_S * 1000,
      lockToProgressMs: LEASE_BOUND_MS,
      seedRecoveryMs: 30_000,
    },
    pass: runs.every(
      (r) =>
        r.statusWhileHeld === 'READY' &&
        r.progressed &&
        r.killToProgressMs <= TTL_S * 1000 &&
        r.lockToProgressMs <= LEASE_BOUND_MS,
    ),
    machine: machine(),
    at: new Date().toISOString(),
  };
  writeResult('chaos-lock', data);
  console.log(JSON.stringify(data, null, 2));
  if (!data.pass) process.exitCode = 1;
}

const entry = process.argv[2] === 'hold' ? hold(process.argv[3] ?? '') : main();
entry.catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
