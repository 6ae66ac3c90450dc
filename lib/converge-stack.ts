import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from './config.js';
import { ConvergeApi } from './constructs/api.js';
import { ConvergeFunctions } from './constructs/functions.js';
import { GitHubSecrets } from './constructs/github.js';
import type { CodeFactory } from './constructs/lambda-function.js';
import { Observability } from './constructs/observability.js';
import { WorkQueue } from './constructs/queue.js';
import { Scheduler } from './constructs/scheduler.js';
import { Storage } from './constructs/storage.js';
import {
  discoverFunctions,
  type FunctionEntry,
  isFunctionName,
  type RouteManifestEntry,
} from './function-catalog.js';

/** The repository root (this file lives in `lib/`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the Lambda entry files live. */
export const FUNCTIONS_DIR = fileURLToPath(
  new URL('../functions/', import.meta.url),
);

/** Props of `ConvergeStack`. */
export interface ConvergeStackProps extends StackProps {
  config: StackConfig;
  /** Every route of the `functions/*.ts` route tables, as plain data. */
  routes: readonly RouteManifestEntry[];
  /** Default: the known functions whose files exist in `functions/`. */
  functions?: readonly FunctionEntry[];
  /** Replaces esbuild bundling; template tests pass inline code. */
  codeFor?: CodeFactory;
}

/**
 * One Converge environment: the table, the FIFO bus, one Lambda per
 * function file, the REST API with its authorizer and usage plans, the
 * GitHub secrets, the scheduled rules and the alarms with their dashboard.
 * @example
 * new ConvergeStack(app, 'Converge-dev', { config, routes });
 */
export class ConvergeStack extends Stack {
  constructor(scope: Construct, id: string, props: ConvergeStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('project', 'converge');
    Tags.of(this).add('environment', config.envName);
    const { table } = new Storage(this, 'Storage', {
      removalPolicy: config.removalPolicy,
    });
    const bus = new WorkQueue(this, 'Bus', {
      processorTimeout: Duration.seconds(config.lambda.processorTimeoutSeconds),
      maxReceiveCount: config.queue.maxReceiveCount,
      removalPolicy: config.removalPolicy,
    });
    const github = new GitHubSecrets(this, 'GitHub', {
      prefix: config.prefix,
      removalPolicy: config.removalPolicy,
    });
    const functions = new ConvergeFunctions(this, 'Functions', {
      config,
      entries: props.functions ?? discoverFunctions(FUNCTIONS_DIR),
      table,
      queue: bus.queue,
      secrets: github.secrets,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      ...(props.codeFor ? { codeFor: props.codeFor } : {}),
    });
    const api = new ConvergeApi(this, 'Api', {
      config,
      routes: props.routes,
      functionFor: (name) =>
        isFunctionName(name) ? functions.get(name) : undefined,
      authorizerFunction: functions.get('authorizer'),
    });
    const scheduler = functions.get('scheduler');
    if (scheduler) new Scheduler(this, 'Scheduler', { target: scheduler });
    const observability = new Observability(this, 'Observability', {
      config,
      api: api.restApi,
      queue: bus.queue,
      deadLetterQueue: bus.deadLetterQueue,
      functions: functions.entries(),
      processor: functions.get('queue-processor'),
    });
    this.addOutputs({
      ApiUrl: api.restApi.url,
      TableName: table.tableName,
      QueueUrl: bus.queue.queueUrl,
      DeadLetterQueueUrl: bus.deadLetterQueue.queueUrl,
      AlarmTopicArn: observability.topic.topicArn,
      DashboardName: observability.dashboard.dashboardName,
      GitHubAppPrivateKeySecretArn: github.secrets.appPrivateKey.secretArn,
      GitHubWebhookSecretArn: github.secrets.webhookSecret.secretArn,
    });
  }

  private addOutputs(outputs: Record<string, string>): void {
    for (const [id, value] of Object.entries(outputs)) {
      new CfnOutput(this, id, { value });
    }
  }
}
