import { ValidationError } from '../../domain/errors.js';

/** Page size when the caller gives none (reference §2: events limit 200). */
export const DEFAULT_PAGE_LIMIT = 200;
/** Upper bound of one page; larger requests are capped, and page on. */
export const MAX_PAGE_LIMIT = 1000;

/**
 * Checks a caller's page size; `fallback` when none is given.
 * @throws ValidationError unless a positive integer.
 */
export function pageLimit(
  limit: number | undefined,
  fallback: number = DEFAULT_PAGE_LIMIT,
): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError('limit must be a positive integer', [
      { path: 'limit', message: 'expected a positive integer' },
    ]);
  }
  return Math.min(limit, MAX_PAGE_LIMIT);
}

/**
 * Encodes the last sort key of a page as an opaque cursor: base64url JSON
 * tagged with the list it belongs to, so a cursor of one list is refused by
 * another.
 */
export function encodeCursor(kind: string, key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify({ k: kind, v: key })).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for `kind`, and checks each
 * element of its sort key with `shape` (`'number'` or `'string'`).
 * @throws ValidationError on anything else.
 */
export function decodeCursor(
  kind: string,
  cursor: string,
  shape: readonly ('number' | 'string')[],
): unknown[] {
  const key = parseKey(kind, cursor);
  const valid =
    key !== undefined &&
    key.length === shape.length &&
    key.every((value, index) => matches(value, shape[index]));
  if (!valid || key === undefined) {
    throw new ValidationError('invalid cursor', [
      { path: 'cursor', message: 'not a cursor of this list' },
    ]);
  }
  return key;
}

function parseKey(kind: string, cursor: string): unknown[] | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as { k?: unknown; v?: unknown };
    if (record.k !== kind || !Array.isArray(record.v)) return undefined;
    return record.v;
  } catch {
    return undefined;
  }
}

function matches(value: unknown, type: 'number' | 'string' | undefined) {
  if (type === 'number') return Number.isFinite(value);
  return typeof value === 'string';
}
