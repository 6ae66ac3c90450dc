import { randomIds } from '../adapters/ids/random-ids.js';
import { PowertoolsMetricsSink } from '../adapters/metrics/powertools-metrics.js';
import { type Env, parseEnv } from '../config/env.js';
import { ValidationError } from '../domain/errors.js';
import {
  DEFAULT_POLICY_CONFIG,
  type PolicyConfig,
} from '../domain/policy/index.js';
import { metrics } from '../http/powertools.js';
import type { Bus } from '../ports/bus.js';
import type { Checks } from '../ports/checks.js';
import { systemClock } from '../ports/clock.js';
import type { Scm } from '../ports/scm.js';
import {
  type CloudPorts,
  type GitHubAppSource,
  type GitHubDeps,
  githubRepoOf,
} from './cloud-ports.js';
import type { Deps } from './deps-type.js';
import { webhookSecretSource } from './webhook-secret.js';

export type { CloudPorts } from './cloud-ports.js';

const unbound = (what: string) => () =>
  Promise.reject(
    new ValidationError(`${what} needs an intent's repository in the cloud`),
  );

/** Scm and checks before an intent binds them to its repository. */
const UNBOUND_SCM: Scm = {
  simulateMerge: unbound('simulateMerge'),
  changedFiles: unbound('changedFiles'),
  headSha: unbound('headSha'),
  treeOf: unbound('treeOf'),
  merge: unbound('merge'),
  coChangeHistory: unbound('coChangeHistory'),
  commitLog: unbound('commitLog'),
};
const UNBOUND_CHECKS: Checks = { run: unbound('checks') };

function policyOf(env: Env): PolicyConfig {
  if (env.CONVERGE_MAX_RETRIES === undefined) return DEFAULT_POLICY_CONFIG;
  return {
    ...DEFAULT_POLICY_CONFIG,
    queue: {
      ...DEFAULT_POLICY_CONFIG.queue,
      max_retries: env.CONVERGE_MAX_RETRIES,
    },
  };
}

/**
 * The GitHub side of a function without GitHub ports. It fails as a
 * function with them fails when no App is configured: the intent's
 * repository is checked first, then the missing App is reported.
 */
function withoutGitHub(): GitHubDeps {
  return {
    repoPorts: async (intent) => {
      githubRepoOf(intent);
      throw new Error('GITHUB_APP_ID and the private key secret are required');
    },
  };
}

function githubDeps(ports: CloudPorts, app: GitHubAppSource): GitHubDeps {
  if (ports.github) return ports.github(app);
  if (app.appId && app.privateKeySecret) {
    throw new Error(
      'the GitHub App is configured but this function has no GitHub ports (useCloudPorts)',
    );
  }
  return withoutGitHub();
}

function busOf(ports: CloudPorts, queueUrl: string | undefined): Bus | null {
  if (!queueUrl) return null;
  if (!ports.bus) {
    throw new Error(
      'QUEUE_URL is set but this function has no bus port (useCloudPorts)',
    );
  }
  return ports.bus(queueUrl);
}

/**
 * The deployed service's composition root, run once per cold start, on the
 * first invocation: DynamoDB store, scm and checks bound per intent, metrics
 * as Powertools EMF (the instance the middy stack flushes), the webhook
 * secret from Secrets Manager by name. The GitHub ports and the SQS bus come
 * from `ports`, the ones the function's entry file named; the environment
 * the CDK stack sets (lib/function-catalog.ts) decides whether they are
 * built. No SQLite, no git, no make.
 * @throws Error on an invalid environment, a missing table name, or an
 *   environment asking for a port this function was not built with.
 * @example
 * const deps = await createCloudDeps(process.env, { bus: sqsBus });
 */
export async function createCloudDeps(
  vars: Record<string, string | undefined>,
  ports: CloudPorts,
): Promise<Deps> {
  const env = parseEnv({ STORE_DRIVER: 'dynamodb', ...vars });
  const sink = new PowertoolsMetricsSink(metrics);
  const github = githubDeps(ports, {
    appId: vars.GITHUB_APP_ID,
    privateKeySecret: vars.GITHUB_APP_PRIVATE_KEY_SECRET_ARN,
    metrics: sink,
  });
  const bus = busOf(ports, env.QUEUE_URL);
  const { openDynamoDbStore } = await import('./dynamodb-deps.js');
  const store = await openDynamoDbStore(env, systemClock);
  return {
    env,
    clock: systemClock,
    ids: randomIds,
    store,
    scm: UNBOUND_SCM,
    checks: UNBOUND_CHECKS,
    policy: policyOf(env),
    metrics: sink,
    ...github,
    ...(bus ? { bus } : {}),
    webhookSecret: webhookSecretSource(env, vars),
  };
}
