/** The SQS client module of the AWS SDK. */
export type SqsSdk = typeof import('@aws-sdk/client-sqs');

let sdk: Promise<SqsSdk> | undefined;

/**
 * The SQS SDK, imported on the first call: a static import of an external
 * package is hoisted to the top of a Lambda bundle and loaded at module init
 * (docs/benchmarks.md, Lambda bundles).
 */
export function loadSqsSdk(): Promise<SqsSdk> {
  sdk ??= import('@aws-sdk/client-sqs');
  return sdk;
}
