/**
 * Maps Octokit failures to domain errors (HOUSE_STYLE §7.4: vendor errors
 * become domain errors inside the adapter).
 */
import {
  ConflictError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '../../domain/errors.js';

/**
 * A GitHub answer that is neither transient nor one of the mapped domain
 * cases (400, 401, 403 without rate limiting, 410, 451...): a permanent
 * failure, usually of configuration (app key, permissions).
 */
export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GitHubApiError';
  }
}

/** How one call wants a status read; merges treat 422 as a conflict. */
export interface ErrorMapping {
  /** Statuses that mean "someone else moved it"; default `[409]`. */
  conflictStatuses?: readonly number[];
}

interface HttpFailure {
  status: number;
  message: string;
  headers: Record<string, string | number | undefined>;
}

/** The status and headers of an Octokit `RequestError` (or AbortError). */
export function httpFailure(error: unknown): HttpFailure | null {
  if (!(error instanceof Error) || !('status' in error)) return null;
  const status = error.status;
  if (typeof status !== 'number') return null;
  const response = 'response' in error ? error.response : undefined;
  const headers =
    typeof response === 'object' &&
    response !== null &&
    'headers' in response &&
    typeof response.headers === 'object' &&
    response.headers !== null
      ? (response.headers as HttpFailure['headers'])
      : {};
  return { status, message: error.message, headers };
}

/** 5xx, 429, a network failure (status 500) or an exhausted rate limit. */
export function isTransientFailure(error: unknown): boolean {
  const failure = httpFailure(error);
  if (failure === null) return false;
  return (
    failure.status >= 500 || failure.status === 429 || rateLimited(failure)
  );
}

function rateLimited(failure: HttpFailure): boolean {
  if (failure.status !== 403) return false;
  return (
    String(failure.headers['x-ratelimit-remaining']) === '0' ||
    /rate limit/i.test(failure.message)
  );
}

/** Seconds to wait: `Retry-After`, else the rate-limit reset, else 1. */
function retryAfterSeconds(failure: HttpFailure, nowMs: number): number {
  const header = Number(failure.headers['retry-after']);
  if (Number.isFinite(header) && header > 0) return Math.ceil(header);
  const reset = Number(failure.headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) {
    return Math.max(1, Math.ceil(reset - nowMs / 1000));
  }
  return 1;
}

/**
 * The domain error for a failed GitHub call:
 * - 5xx, 429, network, rate-limited 403 -> `TransientError`
 * - 404 -> `NotFoundError`
 * - `conflictStatuses` (default 409) -> `ConflictError`
 * - 422 -> `ValidationError`
 * - other HTTP statuses -> {@link GitHubApiError}
 * - anything else (a bug) is returned unchanged.
 *
 * @example
 * ```ts
 * try { await call(); } catch (error) { throw asDomainError(error, 'GET ref', {}, Date.now()); }
 * ```
 */
export function asDomainError(
  error: unknown,
  operation: string,
  mapping: ErrorMapping,
  nowMs: number,
): unknown {
  const failure = httpFailure(error);
  if (failure === null) return error;
  const message = `GitHub ${operation}: ${failure.status} ${failure.message}`;
  if (isTransientFailure(error)) {
    const after = retryAfterSeconds(failure, nowMs);
    return new TransientError(message, after, { cause: error });
  }
  if (failure.status === 404) return new NotFoundError(message);
  if ((mapping.conflictStatuses ?? [409]).includes(failure.status)) {
    return new ConflictError(message);
  }
  if (failure.status === 422) return new ValidationError(message);
  return new GitHubApiError(message, failure.status, { cause: error });
}
