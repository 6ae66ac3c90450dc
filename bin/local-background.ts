/**
 * The local stack's background work: the queue worker, the bus worker and
 * the scheduler, either on the HTTP process's own event loop or in a worker
 * process (bin/local-worker.ts) that drains the durable bus in the SQLite
 * file, as SQS and the queue processor take that work off API Gateway's
 * path in AWS.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Deps } from '../shared/runtime/deps.js';
import { startLocalBusWorker } from '../shared/runtime/local-bus.js';
import { startLocalScheduler } from '../shared/runtime/local-scheduler.js';
import { startQueueWorker } from '../shared/runtime/queue-worker.js';

/** Running background work; `stop()` lets the work in hand finish. */
export interface Background {
  stop(): Promise<void>;
}

/** What the worker process is told by the HTTP process. */
export type WorkerCommand = 'stop' | { busy: boolean };

/**
 * Starts the queue worker (a pass every CONVERGE_WORKER_INTERVAL_MS), the
 * bus worker (paced while `busy()`, see `sharePacer`) and the scheduler.
 * @example
 * const background = startBackground(deps, `local-${process.pid}`, () => false);
 */
export function startBackground(
  deps: Deps,
  holder: string,
  busy: () => boolean,
): Background {
  const worker = startQueueWorker(deps, {
    holder,
    intervalMs: deps.env.CONVERGE_WORKER_INTERVAL_MS,
    onError: (error) => console.error('worker pass failed:', error),
  });
  const busWorker = startLocalBusWorker(deps, {
    busy,
    onError: (error) => console.error('bus message failed:', error),
  });
  const scheduler = startLocalScheduler(deps, {
    holder: `${holder}-scheduler`,
    onError: (error) => console.error('scheduled task failed:', error),
  });
  return {
    async stop() {
      await worker.stop();
      await scheduler.stop();
      await busWorker.stop();
    },
  };
}

/** How often an HTTP process tells the worker whether it is busy. */
export const PRESSURE_EVERY_MS = 20;
/** Wait before a worker process that died is started again... */
const RESTART_DELAY_MS = 1_000;
/** ...doubled, up to this, while it keeps dying within `STABLE_MS`. */
const MAX_RESTART_DELAY_MS = 30_000;
const STABLE_MS = 10_000;

function forkWorker(): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  const entry = fileURLToPath(
    new URL(`./local-worker${extname(self)}`, import.meta.url),
  );
  // execArgv carries tsx's loader (and --cpu-prof and the like).
  return fork(entry, [], { execArgv: process.execArgv });
}

function tell(child: ChildProcess, command: WorkerCommand): void {
  if (child.connected) child.send(command);
}

/**
 * Runs `startBackground` in a worker process with its own connection to the
 * SQLite file: git's forks and the engine's CPU leave the HTTP event loop,
 * and the worker is told (every 20 ms, on change) whether HTTP requests are
 * in hand, so it paces itself and its writes do not keep invalidating the
 * HTTP process's page cache during a flood. A worker process that dies is
 * started again (its in-flight bus messages come back after their
 * visibility timeout). Its messages (metrics reports) go to `onMessage`. It
 * stops when asked, on SIGINT or SIGTERM, or when
 * this process goes away.
 * @example
 * const background = startWorkerProcess(() => server.busy());
 * await background.stop(); // resolves once the worker has exited
 */
export function startWorkerProcess(
  busy: () => boolean,
  onMessage: (message: unknown) => void = () => {},
): Background {
  let stopping = false;
  let child = forkWorker();
  child.on('message', onMessage);
  let told = false;
  const pressure = setInterval(() => {
    const now = busy();
    if (now !== told) tell(child, { busy: now });
    told = now;
  }, PRESSURE_EVERY_MS);
  let delay = RESTART_DELAY_MS;
  const watch = (current: ChildProcess, startedAt: number) => {
    current.once('exit', (code, signal) => {
      if (stopping) return;
      const stable = Date.now() - startedAt >= STABLE_MS;
      delay = stable
        ? RESTART_DELAY_MS
        : Math.min(delay * 2, MAX_RESTART_DELAY_MS);
      console.error(
        `worker process exited (${signal ?? code}); restarting in ${delay} ms`,
      );
      setTimeout(() => {
        if (stopping) return;
        child = forkWorker();
        child.on('message', onMessage);
        told = false;
        watch(child, Date.now());
      }, delay);
    });
  };
  watch(child, Date.now());
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        clearInterval(pressure);
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        if (child.connected) tell(child, 'stop');
        else child.kill('SIGTERM');
      }),
  };
}
