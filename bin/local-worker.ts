/**
 * The local stack's worker process, forked by bin/local.ts: the queue
 * worker, the bus worker and the scheduler on their own connection to the
 * SQLite file, draining the durable bus the HTTP process sends to. Paced
 * while the HTTP process says it is busy; reports its metrics every second; stops on the `stop` command, on
 * SIGINT or SIGTERM, and when the HTTP process goes away (its IPC channel
 * closes).
 */
import './local-env.js';
import { parseEnv } from '../shared/config/env.js';
import { createDeps } from '../shared/runtime/create-deps.js';
import { setDeps } from '../shared/runtime/deps.js';
import { startBackground, type WorkerCommand } from './local-background.js';
import { reportMetrics } from './local-metrics.js';

async function main(): Promise<void> {
  const env = parseEnv();
  const deps = await createDeps(env, {}, { localStack: 'worker' });
  setDeps(deps);
  let httpBusy = false;
  const background = startBackground(
    deps,
    `local-worker-${process.pid}`,
    () => httpBusy,
  );
  const stopReporting = reportMetrics(deps.metrics, `worker-${process.pid}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void background
      .stop()
      .then(stopReporting)
      .then(() => deps.store.close())
      .finally(() => process.exit(0));
  };
  process.on('message', (command: WorkerCommand) => {
    if (command === 'stop') stop();
    else httpBusy = command.busy;
  });
  process.once('disconnect', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    'worker process:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
