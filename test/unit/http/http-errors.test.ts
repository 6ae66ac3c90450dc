import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  TransientError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import { mapError } from '../../../shared/http/http-errors.js';

describe('mapError', () => {
  it.each([
    [new ValidationError('bad'), 400],
    [new UnauthorizedError('who'), 401],
    [new ForbiddenError('no'), 403],
    [new NotFoundError('gone'), 404],
    [new ConflictError('dup'), 409],
    [new InvalidTransitionError('MERGED', 'READY'), 409],
    [new PayloadTooLargeError('big'), 413],
    [new UnsupportedMediaTypeError('xml'), 415],
    [new RateLimitedError('slow down', 12), 429],
    [new TransientError('later', 3), 503],
    [new Error('boom'), 500],
    ['a string', 500],
  ])('maps %s to %i', (error, status) => {
    expect(mapError(error, 'r1').status).toBe(status);
  });

  it('writes the error body and Retry-After, never a stack', () => {
    const { response } = mapError(
      new RateLimitedError('slow down', 12.2),
      'r1',
    );
    expect(response.headers).toMatchObject({
      'retry-after': '13',
      'x-request-id': 'r1',
    });
    expect(JSON.parse(response.body)).toEqual({
      error: 'RateLimitedError',
      code: 'rate_limited',
      message: 'slow down',
      requestId: 'r1',
    });
    expect(response.body).not.toContain('stack');
  });

  it('keeps details and hides unknown errors', () => {
    const detailed = mapError(
      new ValidationError('bad', [{ path: 'body.x', message: 'Required' }]),
      'r2',
    );
    expect(JSON.parse(detailed.response.body).details).toEqual([
      { path: 'body.x', message: 'Required' },
    ]);
    const hidden = mapError(new Error('secret db password'), 'r3');
    expect(JSON.parse(hidden.response.body)).toEqual({
      error: 'InternalError',
      code: 'internal',
      message: 'Internal error',
      requestId: 'r3',
    });
  });
});
