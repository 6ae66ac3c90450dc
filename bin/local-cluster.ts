/**
 * The local stack with several HTTP processes (CONVERGE_HTTP_PROCESSES > 1,
 * SQLite file only): a primary that migrates the file and installs the
 * admin key, then forks the HTTP processes (node:cluster: they share the
 * port, the primary hands connections round-robin) and the worker process.
 * The HTTP processes report to the primary whether they are busy (the
 * worker process paces itself while any is) and their metrics, which the
 * primary passes on to every HTTP process, so `/v1/metrics` shows the whole
 * stack. An HTTP process that dies is started again.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Env } from '../shared/config/env.js';
import { ensureAdminKey } from '../shared/runtime/bootstrap-key.js';
import { createDeps } from '../shared/runtime/create-deps.js';
import { type Deps, setDeps } from '../shared/runtime/deps.js';
import { PRESSURE_EVERY_MS, startWorkerProcess } from './local-background.js';
import { type HttpCommand, serveHttp } from './local-http.js';
import {
  absorbMetrics,
  isMetricsReport,
  isPeersReport,
  METRICS_EVERY_MS,
  type MetricsReport,
  type PeersReport,
  reportMetrics,
} from './local-metrics.js';

/** An HTTP process of the cluster: serves, reports, stops when told. */
export async function runHttpProcess(env: Env): Promise<void> {
  // Ctrl-C reaches every process of the group, this one possibly while it
  // is still starting: the primary stops them in order ('stop'), so SIGINT
  // is left to it from the first moment. SIGTERM stops this one.
  process.on('SIGINT', () => {});
  const deps = await createDeps(env, {}, { localStack: 'http' });
  setDeps(deps);
  const server = await serveHttp(deps, env.PORT);
  const stopReporting = reportMetrics(deps.metrics, `http-${process.pid}`);
  let told = false;
  const pressure = setInterval(() => {
    const now = server.busy();
    if (now !== told && process.connected) process.send?.({ busy: now });
    told = now;
  }, PRESSURE_EVERY_MS);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(pressure);
    stopReporting();
    await server.close();
    await deps.store.close();
    process.exit(0);
  };
  process.on('message', (message: HttpCommand | PeersReport) => {
    if (message === 'stop') void stop();
    else if (isPeersReport(message)) absorbMetrics(deps.metrics, message.peers);
  });
  process.once('SIGTERM', () => void stop());
}

/** How long an HTTP process may take to drain before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** Asks one HTTP process to stop; resolves once it has exited. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    if (worker.isDead()) return resolve();
    const timer = setTimeout(() => worker.kill('SIGKILL'), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (worker.isConnected()) worker.send('stop' satisfies HttpCommand);
    else worker.kill('SIGTERM');
  });
}

/** The HTTP processes: forked, restarted, and their busy flags. */
function forkHttpProcesses(
  count: number,
  onReport: (report: MetricsReport['metrics']) => void,
) {
  const busy = new Map<number, boolean>();
  let stopping = false;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isMetricsReport(message)) onReport(message.metrics);
      else if (
        typeof message === 'object' &&
        message !== null &&
        'busy' in message
      )
        busy.set(worker.id, message.busy === true);
    });
    worker.once('exit', (code, signal) => {
      busy.delete(worker.id);
      if (stopping) return;
      console.error(`HTTP process exited (${signal ?? code}); restarting`);
      fork();
    });
    return worker;
  };
  const listening = Array.from(
    { length: count },
    () =>
      new Promise<number>((resolve) =>
        fork().once('listening', (address) => resolve(address.port)),
      ),
  );
  return {
    /** The port, once every HTTP process listens. */
    ready: Promise.all(listening).then((ports) => ports[0] ?? 0),
    busy: () => [...busy.values()].some(Boolean),
    stop: () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter(
        (worker): worker is Worker => worker !== undefined,
      );
      return Promise.all(workers.map(stopWorker));
    },
  };
}

/**
 * The primary, on `deps` already opened (the file migrated): installs the
 * admin key, closes the store, forks the HTTP processes and the
 * worker process, relays metrics, and stops them all on SIGINT / SIGTERM.
 */
export async function runPrimary(env: Env, deps: Deps): Promise<void> {
  const count = env.CONVERGE_HTTP_PROCESSES;
  const key = await ensureAdminKey(deps);
  await deps.store.close();
  const reports = new Map<string, MetricsReport['metrics']>();
  const keep = (report: MetricsReport['metrics']) =>
    reports.set(report.source, report);
  const http = forkHttpProcesses(count, keep);
  const background = startWorkerProcess(http.busy, (message) => {
    if (isMetricsReport(message)) keep(message.metrics);
  });
  const relay = setInterval(() => {
    for (const worker of Object.values(cluster.workers ?? {})) {
      const own = `http-${worker?.process.pid}`;
      const peers = [...reports.values()].filter((r) => r.source !== own);
      if (worker?.isConnected()) worker.send({ peers } satisfies PeersReport);
    }
  }, METRICS_EVERY_MS);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return; // a second Ctrl-C while draining
    stopping = true;
    console.log(`${signal}: draining and stopping`);
    clearInterval(relay);
    await http.stop();
    await background.stop();
    process.exit(0);
  };
  // From the first moment: a signal during start-up stops what started.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const port = await http.ready;
  if (stopping) return;
  console.log(
    `Converge local stack listening on http://127.0.0.1:${port} (${count} HTTP processes)`,
  );
  console.log(
    `  store: ${env.CONVERGE_DB_PATH}  repo: ${env.CONVERGE_REPO_DIR}`,
  );
  if (key) console.log(`  admin API key (shown once, keep it): ${key}`);
}
