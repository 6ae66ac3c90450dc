import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import {
  ConflictError,
  DomainError,
  type ErrorDetail,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  TransientError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import type { CounterName } from '../ports/metrics.js';

/** The one error body of the API (HOUSE_STYLE §8); never a stack. */
export interface ErrorBody {
  error: string;
  code: string;
  message: string;
  details?: ErrorDetail[];
  requestId: string;
}

type LogLevel = 'info' | 'warn' | 'error';

interface Mapping {
  status: number;
  level: LogLevel;
  metric: CounterName | null;
}

type ErrorClass = abstract new (...args: never[]) => DomainError;

/** The only mapping of errors to statuses; first match wins. */
const MAPPINGS: ReadonlyArray<readonly [ErrorClass, Mapping]> = [
  [ValidationError, { status: 400, level: 'warn', metric: 'ClientError' }],
  [UnauthorizedError, { status: 401, level: 'warn', metric: 'AuthFailure' }],
  [ForbiddenError, { status: 403, level: 'warn', metric: 'AuthFailure' }],
  [NotFoundError, { status: 404, level: 'info', metric: null }],
  [ConflictError, { status: 409, level: 'info', metric: 'Conflict' }],
  [PayloadTooLargeError, { status: 413, level: 'warn', metric: 'ClientError' }],
  [
    UnsupportedMediaTypeError,
    { status: 415, level: 'warn', metric: 'ClientError' },
  ],
  [RateLimitedError, { status: 429, level: 'info', metric: 'RateLimited' }],
  [TransientError, { status: 503, level: 'error', metric: 'Transient' }],
];

const UNHANDLED: Mapping = {
  status: 500,
  level: 'error',
  metric: 'UnhandledError',
};

/** A mapped error: the response and how to log and count it. */
export interface MappedError extends Mapping {
  response: APIGatewayProxyResult;
}

function retryAfter(error: unknown): number | null {
  if (error instanceof RateLimitedError || error instanceof TransientError) {
    return Math.max(1, Math.ceil(error.retryAfterSeconds));
  }
  return null;
}

function bodyOf(error: unknown, requestId: string): ErrorBody {
  if (!(error instanceof DomainError) || mappingOf(error) === UNHANDLED) {
    return {
      error: 'InternalError',
      code: 'internal',
      message: 'Internal error',
      requestId,
    };
  }
  const body: ErrorBody = {
    error: error.name,
    code: error.code,
    message: error.message,
    requestId,
  };
  if (error.details && error.details.length > 0) body.details = error.details;
  return body;
}

function mappingOf(error: unknown): Mapping {
  const hit = MAPPINGS.find(([cls]) => error instanceof cls);
  return hit ? hit[1] : UNHANDLED;
}

/**
 * Maps any thrown value to its HTTP response (HOUSE_STYLE §8 table).
 * Unknown errors become a 500 "Internal error" that reveals nothing.
 * @example
 * const { response } = mapError(new NotFoundError('no such intent'), 'req-1');
 * response.statusCode; // 404
 */
export function mapError(error: unknown, requestId: string): MappedError {
  const mapping = mappingOf(error);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
  };
  const wait = retryAfter(error);
  if (wait !== null) headers['retry-after'] = String(wait);
  return {
    ...mapping,
    response: {
      statusCode: mapping.status,
      headers,
      body: JSON.stringify(bodyOf(error, requestId)),
    },
  };
}

/**
 * The metric counting an error's class (HOUSE_STYLE §8), or null (404).
 * @example
 * errorMetricOf(new RateLimitedError('slow down', 5)); // 'RateLimited'
 */
export function errorMetricOf(error: unknown): CounterName | null {
  return mappingOf(error).metric;
}

/** The request id of an API Gateway event, else of the Lambda invocation. */
export function requestIdOf(
  event: Partial<APIGatewayProxyEvent> | undefined,
  context: Partial<Context> | undefined,
): string {
  return event?.requestContext?.requestId ?? context?.awsRequestId ?? 'unknown';
}

/**
 * middy error middleware: maps the error, logs it at the table's level, and
 * assigns `request.response`. It returns undefined so the other `onError`
 * middlewares (the `httpMetrics` count, metrics flush, trace close) still
 * run. Attach it last so it runs first.
 */
export function httpErrors(options: {
  logger: Logger;
}): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    onError: (request) => {
      const requestId = requestIdOf(request.event, request.context);
      const mapped = mapError(request.error, requestId);
      const info = { status: mapped.status, requestId };
      if (mapped.status >= 500) {
        options.logger.error('request failed', {
          ...info,
          error: request.error,
        });
      } else {
        options.logger[mapped.level]('request rejected', {
          ...info,
          code: request.error instanceof DomainError ? request.error.code : '',
          reason: request.error?.message ?? '',
        });
      }
      request.response = mapped.response;
    },
  };
}
