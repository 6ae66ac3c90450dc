import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GitScm } from '../adapters/git/git-scm.js';
import { randomIds } from '../adapters/ids/random-ids.js';
import { MakeChecks } from '../adapters/make/make-checks.js';
import { loadPolicyConfig } from '../adapters/policy-file/load-policy-config.js';
import { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import type { Env } from '../config/env.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { couplingFrom } from './coupling.js';
import type { Deps } from './deps.js';

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
 * The composition root: store, scm, checks, policy and clock from the
 * environment. Tests pass their own `overrides` instead of touching env.
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
  };
}
