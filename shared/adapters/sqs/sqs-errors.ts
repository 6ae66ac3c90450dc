import {
  DomainError,
  TransientError,
  ValidationError,
} from '../../domain/errors.js';

// Error names of the SQS JSON protocol and of the SDK's own transport layer
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
const THROTTLING = new Set([
  'RequestThrottled',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KmsThrottled',
  'OverLimit',
]);
const UNAVAILABLE = new Set([
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
]);
const BAD_MESSAGE = new Set([
  'InvalidMessageContents',
  'InvalidParameterValue',
  'BatchRequestTooLong',
]);
/** A receipt that no longer names an in-flight delivery. */
const STALE_RECEIPT = new Set(['ReceiptHandleIsInvalid', 'MessageNotInflight']);

interface ErrorFacts {
  name: string;
  code: string;
  fault: string;
  status: number;
  message: string;
}

function factsOf(error: unknown): ErrorFacts {
  const record: Record<string, unknown> =
    typeof error === 'object' && error !== null ? { ...error } : {};
  const metadata = record.$metadata;
  const status =
    typeof metadata === 'object' && metadata !== null
      ? Reflect.get(metadata, 'httpStatusCode')
      : undefined;
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : '';
  return {
    name: error instanceof Error ? error.name : text(record.name),
    code: text(record.code),
    fault: text(record.$fault),
    status: typeof status === 'number' ? status : 0,
    message: error instanceof Error ? error.message : String(error),
  };
}

/** True when the error is SQS refusing a receipt that went stale. */
export function isStaleReceipt(error: unknown): boolean {
  return STALE_RECEIPT.has(factsOf(error).name);
}

function isTransient(facts: ErrorFacts): boolean {
  return (
    THROTTLING.has(facts.name) ||
    UNAVAILABLE.has(facts.name) ||
    UNAVAILABLE.has(facts.code) ||
    facts.fault === 'server' ||
    facts.status === 429 ||
    facts.status >= 500
  );
}

/**
 * Maps an SQS or SDK failure of `action` to a domain error: throttling,
 * 5xx and network failures become TransientError (with the original as
 * `cause`), refused message contents become ValidationError. Anything else
 * (missing queue, access denied: configuration faults) is returned as is.
 */
export function toBusError(error: unknown, action: string): unknown {
  if (error instanceof DomainError) return error;
  const facts = factsOf(error);
  if (isTransient(facts)) {
    return new TransientError(
      `SQS ${action} failed for now: ${facts.name || facts.code}`,
      1,
      { cause: error },
    );
  }
  if (BAD_MESSAGE.has(facts.name)) {
    return new ValidationError(`SQS ${action} refused the message`, [
      { path: 'message', message: facts.message },
    ]);
  }
  return error;
}

/**
 * Runs one SQS call, mapping its failure with {@link toBusError}.
 * @throws {TransientError} throttling, 5xx, network.
 * @throws {ValidationError} the queue refused the message.
 */
export async function callSqs<T>(
  action: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBusError(error, action);
  }
}
