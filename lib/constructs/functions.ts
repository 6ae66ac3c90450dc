import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.js';
import {
  FUNCTION_ACCESS,
  type FunctionAccess,
  type FunctionEntry,
  type FunctionName,
  type GitHubSecretName,
} from '../function-catalog.js';
import { SECRET_ARN_VARIABLES } from './github.js';
import { type CodeFactory, createConvergeFunction } from './lambda-function.js';

/** The authorizer answers on every cache miss: keep it short. */
const AUTHORIZER_TIMEOUT_SECONDS = 10;

/** Props of `ConvergeFunctions`. */
export interface ConvergeFunctionsProps {
  config: StackConfig;
  entries: readonly FunctionEntry[];
  table: dynamodb.Table;
  queue: sqs.IQueue;
  secrets: Readonly<Record<GitHubSecretName, secretsmanager.Secret>>;
  depsLockFilePath: string;
  codeFor?: CodeFactory;
}

/** `queue-processor` -> `QueueProcessor` (construct ids are PascalCase). */
export function constructIdOf(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function timeoutOf(access: FunctionAccess, config: StackConfig): Duration {
  const { timeoutSeconds, processorTimeoutSeconds } = config.lambda;
  if (access.timeout === 'worker') {
    return Duration.seconds(processorTimeoutSeconds);
  }
  if (access.timeout === 'authorizer') {
    return Duration.seconds(
      Math.min(AUTHORIZER_TIMEOUT_SECONDS, timeoutSeconds),
    );
  }
  return Duration.seconds(timeoutSeconds);
}

/**
 * One Lambda per function file found, each with only the grants its role
 * needs (`FUNCTION_ACCESS`): table read or read/write, queue send, queue
 * consume (the processor, through its event source with partial batch
 * failures), and read access to the GitHub secrets it names, passed by ARN.
 */
export class ConvergeFunctions extends Construct {
  private readonly functions = new Map<FunctionName, lambda.Function>();

  constructor(scope: Construct, id: string, props: ConvergeFunctionsProps) {
    super(scope, id);
    for (const { name, entry } of props.entries) {
      const access = FUNCTION_ACCESS[name];
      const fn = createConvergeFunction(this, constructIdOf(name), {
        entry,
        description: `Converge ${name} (${props.config.envName})`,
        timeout: timeoutOf(access, props.config),
        memorySize: props.config.lambda.memoryMb,
        logRetention: props.config.logRetention,
        removalPolicy: props.config.removalPolicy,
        environment: this.environmentOf(access, props),
        depsLockFilePath: props.depsLockFilePath,
        ...(props.codeFor ? { codeFor: props.codeFor } : {}),
      });
      grantAccess(fn, access, props);
      this.functions.set(name, fn);
    }
  }

  /** The function of `name`, or undefined when its file does not exist. */
  get(name: FunctionName): lambda.Function | undefined {
    return this.functions.get(name);
  }

  /** Every deployed function with its name. */
  entries(): [FunctionName, lambda.Function][] {
    return [...this.functions.entries()];
  }

  private environmentOf(
    access: FunctionAccess,
    props: ConvergeFunctionsProps,
  ): Record<string, string> {
    const env: Record<string, string> = { TABLE_NAME: props.table.tableName };
    if (access.sendsToQueue || access.consumesQueue) {
      env.QUEUE_URL = props.queue.queueUrl;
    }
    for (const secret of access.secrets) {
      env[SECRET_ARN_VARIABLES[secret]] = props.secrets[secret].secretArn;
    }
    if (access.secrets.includes('appPrivateKey')) {
      env.GITHUB_APP_ID = props.config.github.appId;
    }
    return env;
  }
}

function grantAccess(
  fn: lambda.Function,
  access: FunctionAccess,
  props: ConvergeFunctionsProps,
): void {
  if (access.table === 'read') props.table.grantReadData(fn);
  else props.table.grantReadWriteData(fn);
  if (access.sendsToQueue) props.queue.grantSendMessages(fn);
  if (access.consumesQueue) {
    // FIFO: no batching window; a failed record halts only its group.
    fn.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
      }),
    );
  }
  for (const secret of access.secrets) props.secrets[secret].grantRead(fn);
}
