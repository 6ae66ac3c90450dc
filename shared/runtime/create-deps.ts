import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GitScm } from '../adapters/git/git-scm.js';
import { randomIds } from '../adapters/ids/random-ids.js';
import { MakeChecks } from '../adapters/make/make-checks.js';
import { MemoryBus } from '../adapters/memory-bus/memory-bus.js';
import { PrometheusRegistry } from '../adapters/metrics/prometheus-registry.js';
import { loadPolicyConfig } from '../adapters/policy-file/load-policy-config.js';
import {
  SqliteStore,
  type SqliteStoreOptions,
} from '../adapters/sqlite/sqlite-store.js';
import type { Env } from '../config/env.js';
import { BufferedRateLimits } from '../domain/auth/buffered-rate-limits.js';
import { CachedKeyStore } from '../domain/auth/cached-keys.js';
import type { Bus } from '../ports/bus.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { couplingFrom } from './coupling.js';
import type { Deps } from './deps.js';
import { webhookSecretSource } from './webhook-secret.js';

/** Which process of the local stack the deps are for. */
export type LocalRole = 'http' | 'worker';

/**
 * True when the local stack uses the durable bus: a SQLite file, and no SQS
 * queue. Then the HTTP process and the worker process (bin/local.ts) share
 * the file.
 */
function durableBus(env: Env): boolean {
  const sqs = env.CONVERGE_BUS === 'sqs' && env.QUEUE_URL !== undefined;
  return (
    env.STORE_DRIVER !== 'dynamodb' &&
    env.CONVERGE_DB_PATH !== ':memory:' &&
    !sqs
  );
}

/** The local stack's SQLite options: see `SqliteStoreOptions`. */
function localSqlite(
  env: Env,
  role: LocalRole | undefined,
): Pick<SqliteStoreOptions, 'onBusy' | 'checkpoint'> {
  if (role === undefined) return {};
  // Two processes write to one file: a write that finds it locked yields
  // to the event loop instead of stalling it, and the worker checkpoints,
  // so the HTTP process's commits are only WAL appends.
  if (!durableBus(env)) return { onBusy: 'yield' };
  return role === 'http'
    ? { onBusy: 'yield', checkpoint: 'elsewhere' }
    : { onBusy: 'yield', checkpoint: { everyMs: 1_000 } };
}

async function openStore(
  env: Env,
  clock: Clock,
  role: LocalRole | undefined,
): Promise<Store> {
  if (env.STORE_DRIVER === 'dynamodb') {
    const { openDynamoDbStore } = await import('./dynamodb-deps.js');
    return openDynamoDbStore(env, clock);
  }
  const path = env.CONVERGE_DB_PATH;
  if (path !== ':memory:')
    mkdirSync(dirname(resolve(path)), { recursive: true });
  return SqliteStore.open({ path, clock, ...localSqlite(env, role) });
}

/** Receives after which a local bus message is dead-lettered. */
const LOCAL_MAX_RECEIVES = 5;

/**
 * SQS FIFO when CONVERGE_BUS is sqs (the default when QUEUE_URL is set);
 * else, for the local stack on a SQLite file (`durableBus`), the durable
 * bus in that file, which the HTTP process sends to and the worker process
 * drains, and where what was accepted survives a crash; else the
 * in-process bus. `startLocalBusWorker` (local-bus.ts) drains the last two.
 */
async function openBus(
  env: Env,
  clock: Clock,
  local: Store | undefined,
): Promise<Bus> {
  if (env.CONVERGE_BUS !== 'sqs' || !env.QUEUE_URL) {
    if (local instanceof SqliteStore && durableBus(env)) {
      return local.openBus({ maxReceives: LOCAL_MAX_RECEIVES });
    }
    return new MemoryBus({ clock, maxReceives: LOCAL_MAX_RECEIVES });
  }
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { SqsBus } = await import('../adapters/sqs/sqs-bus.js');
  return new SqsBus({ client: new SQSClient({}), queueUrl: env.QUEUE_URL });
}

/**
 * The local stack's store: one HTTP process, so the key lookup of the
 * authorizer is cached for a few seconds and the rate-limit counter is kept
 * in process, the store written once per tenant and minute (semantics in
 * cached-keys.ts and buffered-rate-limits.ts).
 */
function withLocalCaches(store: Store, clock: Clock): Store {
  return {
    events: store.events,
    intents: store.intents,
    policies: store.policies,
    locks: store.locks,
    deliveries: store.deliveries,
    outbox: store.outbox,
    keys: new CachedKeyStore(store.keys, clock),
    rateLimits: new BufferedRateLimits(store.rateLimits, clock),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

/** Options of `createDeps`. */
export interface CreateDepsOptions {
  /**
   * Deps of one of the local stack's processes (bin/local.ts): the durable
   * SQLite bus and the SQLite options of `localSqlite` when the store is a
   * SQLite file, and `withLocalCaches` on the store it opens (not on an
   * override).
   */
  localStack?: LocalRole;
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
  options: CreateDepsOptions = {},
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
  const role = options.localStack;
  const local = role !== undefined;
  const opened = overrides.store ?? (await openStore(env, clock, role));
  const store =
    local && !overrides.store ? withLocalCaches(opened, clock) : opened;
  return {
    env,
    clock,
    ids: overrides.ids ?? randomIds,
    store,
    scm,
    checks: overrides.checks ?? new MakeChecks({ cwd: repoDir }),
    policy:
      maxRetries === undefined
        ? policy
        : { ...policy, queue: { ...policy.queue, max_retries: maxRetries } },
    coupling:
      overrides.coupling ?? couplingFrom(scm, repoDir, () => clock.now()),
    bus:
      overrides.bus ?? (await openBus(env, clock, local ? opened : undefined)),
    metrics: overrides.metrics ?? new PrometheusRegistry(),
    ...(overrides.publisher ? { publisher: overrides.publisher } : {}),
    // The composition root is where secrets' names are read (HOUSE_STYLE 5).
    webhookSecret:
      overrides.webhookSecret ??
      webhookSecretSource(env, process.env, () => clock.now()),
  };
}
