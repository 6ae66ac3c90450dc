import type { HttpResponse } from './routes.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A JSON response.
 * @example
 * return ok({ status: 'ok' });
 */
export function ok(body: unknown, status = 200): HttpResponse {
  return {
    statusCode: status,
    headers: { 'content-type': JSON_TYPE },
    body: JSON.stringify(body ?? null),
  };
}

/** 201 with the created resource. */
export function created(body: unknown): HttpResponse {
  return ok(body, 201);
}

/** 202: accepted for asynchronous processing. */
export function accepted(body: unknown): HttpResponse {
  return ok(body, 202);
}

/** 204 with no body. */
export function noContent(): HttpResponse {
  return { statusCode: 204, headers: {}, body: '' };
}

/**
 * A non-JSON response (CSV, NDJSON, Prometheus text).
 * @example
 * return text(csv, 'text/csv; charset=utf-8');
 */
export function text(
  body: string,
  contentType = 'text/plain; charset=utf-8',
  status = 200,
): HttpResponse {
  return { statusCode: status, headers: { 'content-type': contentType }, body };
}
