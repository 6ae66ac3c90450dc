import { randomIds } from '../adapters/ids/random-ids.js';
import { PowertoolsMetricsSink } from '../adapters/metrics/powertools-metrics.js';
import { parseEnv } from '../config/env.js';
import { ValidationError } from '../domain/errors.js';
import { DEFAULT_POLICY_CONFIG } from '../domain/policy/index.js';
import { metrics } from '../http/powertools.js';
import type { Bus } from '../ports/bus.js';
import type { Checks } from '../ports/checks.js';
import { systemClock } from '../ports/clock.js';
import type { Scm } from '../ports/scm.js';
import type { Deps } from './deps-type.js';
import { openDynamoDbStore } from './dynamodb-deps.js';
import {
  githubClientSource,
  githubPublisher,
  githubRepoPorts,
} from './github-ports.js';
import { webhookSecretSource } from './webhook-secret.js';

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

async function openBus(queueUrl: string | undefined): Promise<Bus | undefined> {
  if (!queueUrl) return undefined;
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { SqsBus } = await import('../adapters/sqs/sqs-bus.js');
  return new SqsBus({ client: new SQSClient({}), queueUrl });
}

/**
 * The deployed service's composition root, run once per cold start:
 * DynamoDB store, SQS bus, GitHub scm and checks bound per intent, the
 * outbox publisher when a GitHub App is configured, metrics as Powertools
 * EMF (the instance the middy stack flushes), secrets from Secrets Manager
 * by name. No SQLite, no git, no make.
 */
export async function createLambdaDeps(
  vars: Record<string, string | undefined> = process.env,
): Promise<Deps> {
  const env = parseEnv({ STORE_DRIVER: 'dynamodb', ...vars });
  const policy =
    env.CONVERGE_MAX_RETRIES === undefined
      ? DEFAULT_POLICY_CONFIG
      : {
          ...DEFAULT_POLICY_CONFIG,
          queue: {
            ...DEFAULT_POLICY_CONFIG.queue,
            max_retries: env.CONVERGE_MAX_RETRIES,
          },
        };
  const bus = await openBus(env.QUEUE_URL);
  const app = {
    appId: vars.GITHUB_APP_ID,
    privateKeySecret: vars.GITHUB_APP_PRIVATE_KEY_SECRET_ARN,
  };
  const github = githubClientSource(app);
  return {
    env,
    clock: systemClock,
    ids: randomIds,
    store: openDynamoDbStore(env, systemClock),
    scm: UNBOUND_SCM,
    checks: UNBOUND_CHECKS,
    policy,
    repoPorts: githubRepoPorts(github),
    metrics: new PowertoolsMetricsSink(metrics),
    ...(app.appId && app.privateKeySecret
      ? { publisher: githubPublisher(github) }
      : {}),
    ...(bus ? { bus } : {}),
    webhookSecret: webhookSecretSource(env, vars),
  };
}
