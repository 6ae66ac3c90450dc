/**
 * Classification of DynamoDB (AWS SDK v3) errors. The adapter maps them to
 * domain errors: throttling and 5xx become `TransientError` after retries,
 * failed conditions become `ConflictError` (or a more precise error where the
 * caller knows which condition failed).
 */

const THROTTLING_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TransactionConflictException',
  'ReplicatedWriteConflictException',
  'TimeoutError',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Cancellation codes of a transaction that are worth retrying. */
const TRANSIENT_REASONS = new Set([
  'ThrottlingError',
  'TransactionConflict',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: Array<{ Code?: unknown }>;
}

const shape = (error: unknown): SdkErrorShape =>
  typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};

/**
 * Cancellation codes of a `TransactionCanceledException`, one per item in
 * request order ('None' where the item was fine); null for any other error.
 */
export function cancellationCodes(error: unknown): string[] | null {
  const err = shape(error);
  if (err.name !== 'TransactionCanceledException') return null;
  return (err.CancellationReasons ?? []).map((reason) =>
    typeof reason.Code === 'string' ? reason.Code : 'None',
  );
}

/**
 * True for a failed condition: `ConditionalCheckFailedException`, or a
 * cancelled transaction with at least one `ConditionalCheckFailed` reason.
 */
export function isConditionFailure(error: unknown): boolean {
  if (shape(error).name === 'ConditionalCheckFailedException') return true;
  return cancellationCodes(error)?.includes('ConditionalCheckFailed') ?? false;
}

/** True for throttling, a 5xx, a network failure or a transient transaction conflict. */
export function isRetryable(error: unknown): boolean {
  const err = shape(error);
  if (typeof err.name === 'string' && THROTTLING_NAMES.has(err.name)) {
    return true;
  }
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) return true;
  const codes = cancellationCodes(error);
  if (codes !== null) {
    return (
      !codes.includes('ConditionalCheckFailed') &&
      codes.some((code) => TRANSIENT_REASONS.has(code))
    );
  }
  const status = err.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}
