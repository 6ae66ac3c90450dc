import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  LogLevel,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../config.js';

/** Builds the code of a function from its entry file (tests: inline code). */
export type CodeFactory = (entry: string) => lambda.Code;

/**
 * esbuild settings of every function: one tree-shaken, minified ESM file per
 * handler for Node 22. The AWS SDK v3 comes with the runtime; better-sqlite3
 * is the local store's native driver and never runs in Lambda (DynamoDB).
 * The banner gives bundled CommonJS dependencies a working `require`.
 */
export const BUNDLING: BundlingOptions = {
  minify: true,
  // Error bodies name the error class: minified names would leak `e`, `t`.
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __cvgCreateRequire } from 'node:module'; const require = __cvgCreateRequire(import.meta.url);",
  externalModules: ['@aws-sdk/*', 'better-sqlite3'],
  logLevel: LogLevel.WARNING,
};

/** Environment every function starts from; per-function values merge over it. */
export const BASE_ENVIRONMENT: Readonly<Record<string, string>> = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
  STORE_DRIVER: 'dynamodb',
};

/** Props of `createConvergeFunction`. */
export interface ConvergeFunctionProps {
  /** Absolute path of `functions/<name>.ts`; it exports `handler`. */
  entry: string;
  description: string;
  timeout: Duration;
  memorySize: number;
  logRetention: logs.RetentionDays;
  removalPolicy: RemovalPolicy;
  /** Merged over `BASE_ENVIRONMENT`, never replacing it wholesale. */
  environment?: Record<string, string>;
  /** The lock file NodejsFunction bundles against. */
  depsLockFilePath: string;
  /** Replaces esbuild bundling (fast template tests). */
  codeFor?: CodeFactory;
}

/**
 * One Converge Lambda with the house defaults: Node 22 on ARM64, X-Ray
 * tracing active, its own log group with the environment's retention, and
 * the Powertools environment. Bundled by NodejsFunction with the local
 * esbuild (no Docker) unless `codeFor` supplies the code.
 * @example
 * const fn = createConvergeFunction(this, 'Intents', { entry, ...defaults });
 * table.grantReadWriteData(fn);
 */
export function createConvergeFunction(
  scope: Construct,
  id: string,
  props: ConvergeFunctionProps,
): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: props.logRetention,
    removalPolicy: props.removalPolicy,
  });
  const common = {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    tracing: lambda.Tracing.ACTIVE,
    memorySize: props.memorySize,
    timeout: props.timeout,
    logGroup,
    environment: { ...BASE_ENVIRONMENT, ...props.environment },
  };
  if (props.codeFor) {
    return new lambda.Function(scope, id, {
      ...common,
      handler: 'index.handler',
      code: props.codeFor(props.entry),
    });
  }
  return new NodejsFunction(scope, id, {
    ...common,
    entry: props.entry,
    handler: 'handler',
    depsLockFilePath: props.depsLockFilePath,
    // SDK v3 reuses connections itself; keeps both code paths' env equal.
    awsSdkConnectionReuse: false,
    bundling: BUNDLING,
  });
}
