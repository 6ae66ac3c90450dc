/**
 * The local stack (`npm start`): every HTTP route on 127.0.0.1 from the same
 * Lambda handlers, the SQLite store under .converge/, the git CLI scm and
 * make checks on CONVERGE_REPO_DIR, a worker that drains the queue, a
 * health snapshot every 15 minutes, and Prometheus metrics on /v1/metrics.
 *
 * On a SQLite file the bus is durable in that file (a webhook is on disk
 * before its 202) and the background work runs in a worker process
 * (bin/local-background.ts) whose metrics this process shows: this process
 * answers HTTP, as API Gateway and the Lambda handlers do, or, with
 * CONVERGE_HTTP_PROCESSES > 1, several HTTP processes share the port
 * (bin/local-cluster.ts). Otherwise (DynamoDB, an in-memory store, SQS) the
 * work runs here, the bus worker paced while requests are in hand.
 */
import './local-env.js';
import cluster from 'node:cluster';
import { SqliteBus } from '../shared/adapters/sqlite/sqlite-bus.js';
import { parseEnv } from '../shared/config/env.js';
import { ensureAdminKey } from '../shared/runtime/bootstrap-key.js';
import { createDeps } from '../shared/runtime/create-deps.js';
import { setDeps } from '../shared/runtime/deps.js';
import { startBackground, startWorkerProcess } from './local-background.js';
import { runHttpProcess, runPrimary } from './local-cluster.js';
import { serveHttp } from './local-http.js';
import { absorbMetrics, isMetricsReport } from './local-metrics.js';

async function main(): Promise<void> {
  const env = parseEnv();
  if (cluster.isWorker) return runHttpProcess(env);
  const deps = await createDeps(env, {}, { localStack: 'http' });
  const onFile = deps.bus instanceof SqliteBus;
  if (env.CONVERGE_HTTP_PROCESSES > 1) {
    // Processes share the SQLite file and its durable bus, nothing else.
    if (onFile) return runPrimary(env, deps);
    console.error('CONVERGE_HTTP_PROCESSES > 1 needs a SQLite file; using 1');
  }
  setDeps(deps);
  const key = await ensureAdminKey(deps);
  const server = await serveHttp(deps, env.PORT);
  const busy = () => server.busy();
  const background = onFile
    ? startWorkerProcess(busy, (message) => {
        if (isMetricsReport(message)) {
          absorbMetrics(deps.metrics, [message.metrics]);
        }
      })
    : startBackground(deps, `local-${process.pid}`, busy);
  console.log(`Converge local stack listening on ${server.url}`);
  console.log(
    `  store: ${env.CONVERGE_DB_PATH}  repo: ${env.CONVERGE_REPO_DIR}`,
  );
  if (key) {
    console.log(`  admin API key (shown once, keep it): ${key}`);
  }
  const shutdown = async (signal: string) => {
    console.log(`${signal}: draining and stopping`);
    await server.close();
    await background.stop();
    await deps.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
