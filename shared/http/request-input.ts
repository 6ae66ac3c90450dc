import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import {
  type ErrorDetail,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors.js';
import type { RouteInfo } from './routes.js';

/** Largest accepted request body (reference: HEAD's 1 MiB limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** The validated inputs a route callback receives. */
export interface RequestInput {
  path: unknown;
  query: unknown;
  body: unknown;
  headers: Record<string, string>;
  rawBody: string;
}

/** Header names lower-cased (API Gateway keeps the client's casing). */
export function lowerHeaders(
  headers: APIGatewayProxyEvent['headers'] | null | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * The body as UTF-8, decoding base64 when API Gateway encoded it.
 * @throws PayloadTooLargeError above `MAX_BODY_BYTES`
 */
export function decodeBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
): string {
  if (event.body === null || event.body === '') return '';
  const bytes = event.isBase64Encoded
    ? Buffer.from(event.body, 'base64')
    : null;
  const size = bytes ? bytes.length : Buffer.byteLength(event.body, 'utf8');
  if (size > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `Request body of ${size} bytes exceeds ${MAX_BODY_BYTES} bytes`,
    );
  }
  return bytes ? bytes.toString('utf8') : event.body;
}

function issueDetails(
  location: string,
  issues: z.core.$ZodIssue[],
): ErrorDetail[] {
  return issues.flatMap((issue) => {
    const base = [location, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: `${base}.${key}`,
        message: 'Unknown field',
      }));
    }
    return [{ path: base, message: issue.message }];
  });
}

/**
 * `safeParse`s one part of the request.
 * @throws ValidationError with `[{ path, message }]` details
 */
export function validatePart(
  location: 'path' | 'query' | 'body',
  schema: z.ZodType | undefined,
  value: unknown,
): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    `Invalid request ${location}`,
    issueDetails(location, result.error.issues),
  );
}

function parseJsonBody(raw: string, headers: Record<string, string>): unknown {
  if (raw === '') return {};
  const contentType = headers['content-type'] ?? '';
  if (!JSON_CONTENT_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type must be application/json, got '${contentType}'`,
    );
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ValidationError('Invalid JSON body', [
      { path: 'body', message: 'Malformed JSON' },
    ]);
  }
}

/**
 * Decodes and validates path, query and body of `event` for `route`. An
 * empty body on a body route validates as `{}`.
 * @throws PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError
 */
export function readRequest(
  route: Pick<RouteInfo, 'rawBody' | 'schemas'>,
  event: APIGatewayProxyEvent,
  pathParameters: Record<string, string>,
): RequestInput {
  const headers = lowerHeaders(event.headers);
  const rawBody = decodeBody(event);
  const path = validatePart('path', route.schemas.path, pathParameters);
  const query = validatePart('query', route.schemas.query, queryOf(event));
  const wantsJson = route.schemas.body !== undefined && !route.rawBody;
  const body = wantsJson
    ? validatePart('body', route.schemas.body, parseJsonBody(rawBody, headers))
    : undefined;
  return { path, query, body, headers, rawBody };
}

function queryOf(event: APIGatewayProxyEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}
