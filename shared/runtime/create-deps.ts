import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GitScm } from '../adapters/git/git-scm.js';
import { randomIds } from '../adapters/ids/random-ids.js';
import { MakeChecks } from '../adapters/make/make-checks.js';
import { MemoryBus } from '../adapters/memory-bus/memory-bus.js';
import { PrometheusRegistry } from '../adapters/metrics/prometheus-registry.js';
import { loadPolicyConfig } from '../adapters/policy-file/load-policy-config.js';
import { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import type { Env } from '../config/env.js';
import type { Bus } from '../ports/bus.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { couplingFrom } from './coupling.js';
import type { Deps } from './deps.js';
import { webhookSecretSource } from './webhook-secret.js';

async function openStore(env: Env, clock: Clock): Promise<Store> {
  if (env.STORE_DRIVER === 'dynamodb') {
    const { openDynamoDbStore } = await import('./dynamodb-deps.js');
    return openDynamoDbStore(env, clock);
  }
  const path = env.CONVERGE_DB_PATH;
  if (path !== ':memory:')
    mkdirSync(dirname(resolve(path)), { recursive: true });
  return SqliteStore.open({ path, clock });
}

/**
 * SQS FIFO when CONVERGE_BUS is sqs (the default when QUEUE_URL is set),
 * else the in-process bus that `startLocalBusWorker` (local-bus.ts) drains.
 */
async function openBus(env: Env, clock: Clock): Promise<Bus> {
  if (env.CONVERGE_BUS !== 'sqs' || !env.QUEUE_URL)
    return new MemoryBus({ clock, maxReceives: 5 });
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { SqsBus } = await import('../adapters/sqs/sqs-bus.js');
  return new SqsBus({ client: new SQSClient({}), queueUrl: env.QUEUE_URL });
}

/**
 * The composition root: store, scm, checks, policy, clock, bus, the
 * in-process Prometheus registry (served by `GET /v1/metrics`) and the
 * webhook secret from the environment. Tests pass their own `overrides`
 * instead of touching env.
 */
export async function createDeps(
  env: Env,
  overrides: Partial<Deps> = {},
): Promise<Deps> {
  const clock = overrides.clock ?? systemClock;
  const repoDir = resolve(env.CONVERGE_REPO_DIR);
  const scm = overrides.scm ?? new GitScm({ repoDir });
  const loaded = await loadPolicyConfig({
    dir: repoDir,
    path: env.CONVERGE_POLICY_FILE,
  });
  const policy = overrides.policy ?? loaded.config;
  const maxRetries = env.CONVERGE_MAX_RETRIES;
  return {
    env,
    clock,
    ids: overrides.ids ?? randomIds,
    store: overrides.store ?? (await openStore(env, clock)),
    scm,
    checks: overrides.checks ?? new MakeChecks({ cwd: repoDir }),
    policy:
      maxRetries === undefined
        ? policy
        : { ...policy, queue: { ...policy.queue, max_retries: maxRetries } },
    coupling:
      overrides.coupling ?? couplingFrom(scm, repoDir, () => clock.now()),
    bus: overrides.bus ?? (await openBus(env, clock)),
    metrics: overrides.metrics ?? new PrometheusRegistry(),
    ...(overrides.publisher ? { publisher: overrides.publisher } : {}),
    // The composition root is where secrets' names are read (HOUSE_STYLE 5).
    webhookSecret:
      overrides.webhookSecret ??
      webhookSecretSource(env, process.env, () => clock.now()),
  };
}
