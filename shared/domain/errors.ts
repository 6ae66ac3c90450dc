/**
 * Domain error hierarchy (HOUSE_STYLE §8). Errors carry a stable `code` but no
 * HTTP status: the mapping to statuses lives only in `shared/http/http-errors.ts`.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base of every error the domain raises on purpose. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: ErrorDetail[] | undefined;

  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Input that breaks a rule of the edge schema or a domain invariant (400). */
export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
}

/** Missing, unknown, expired or revoked credential; bad webhook signature (401). */
export class UnauthorizedError extends DomainError {
  readonly code = 'unauthorized';
}

/** Authenticated, but role, scope or tenant does not allow it (403). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

/** The addressed entity does not exist (404). */
export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

/** A version mismatch, a duplicate or a held resource (409). */
export class ConflictError extends DomainError {
  readonly code: string = 'conflict';
}

/** A status change the intent state machine does not allow (409). */
export class InvalidTransitionError extends ConflictError {
  override readonly code = 'invalid_transition';

  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`Illegal status transition ${from} -> ${to}`);
  }
}

/** Request body over the size limit (413). */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
}

/** Request body is not JSON (415). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
}

/** The tenant used up its request budget for the window (429). */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency is throttling or failing for now; retry later (503). */
export class TransientError extends DomainError {
  readonly code = 'transient';

  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown },
  ) {
    super(message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
