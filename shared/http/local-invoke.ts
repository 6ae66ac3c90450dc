import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  Context,
} from 'aws-lambda';
import { UnauthorizedError } from '../domain/errors.js';
import type { AccessSite } from './access-control.js';
import type { AuthorizerContext } from './authorizer-context.js';
import type { HttpLambdaHandler } from './router.js';

/**
 * The local stack's authorizer: the context, or null for a 401. `site` says
 * where the request was going (for the `access.denied` audit event).
 */
export type Authorize = (
  headers: Record<string, string>,
  site: AccessSite,
) => Promise<AuthorizerContext | null>;

/** What `invokeWithTimeout` resolves to when the handler is too slow. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Reads a request body, counting every byte but keeping at most `max`.
 * @returns the body, or null when it was larger than `max`
 */
export function readBody(
  req: IncomingMessage,
  max: number,
): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

/**
 * Runs the authorizer on the (lower-cased) request headers. As in API
 * Gateway, failing with `Unauthorized` means 401 (null here); any other
 * failure propagates (a 5xx).
 */
export async function runAuthorizer(
  authorize: Authorize,
  headers: IncomingHttpHeaders,
  site: AccessSite,
): Promise<AuthorizerContext | null> {
  try {
    return await authorize(flatHeaders(headers), site);
  } catch (error) {
    if (error instanceof UnauthorizedError) return null;
    if (error instanceof Error && error.message === 'Unauthorized') return null;
    throw error;
  }
}

/**
 * Invokes a handler and races it against the function timeout.
 * @returns the result, or `TIMED_OUT` (the local server answers 504)
 */
export async function invokeWithTimeout(
  handler: HttpLambdaHandler,
  event: APIGatewayProxyEvent,
  context: Context,
  timeoutMs: number,
): Promise<APIGatewayProxyResult | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
