import { ValidationError } from '../../domain/errors.js';

/** Where one partition of a paged query resumes. */
export type PartitionPosition = Record<string, string> | 'start' | 'done';

/** The decoded content of a cursor: the index and one position per partition. */
export interface CursorState {
  index: string;
  positions: PartitionPosition[];
}

const invalid = (): ValidationError =>
  new ValidationError('Invalid cursor', [
    { path: 'cursor', message: 'not a cursor returned by this query' },
  ]);

/** Encodes a cursor as base64url JSON; callers treat it as opaque. */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(
    JSON.stringify({ i: state.index, p: state.positions }),
  ).toString('base64url');
}

const isPosition = (
  value: unknown,
  keyAttributes: readonly string[],
): value is PartitionPosition => {
  if (value === 'start' || value === 'done') return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const entries = Object.entries(value);
  return (
    entries.length === keyAttributes.length &&
    entries.every(
      ([name, attr]) =>
        keyAttributes.includes(name) && typeof attr === 'string',
    )
  );
};

const parse = (cursor: string): unknown => {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
};

/**
 * Decodes a cursor of a query over `partitions` partitions of `index`, whose
 * keys have exactly `keyAttributes`.
 * @throws ValidationError when it is malformed or belongs to another query.
 */
export function decodeCursor(
  cursor: string,
  index: string,
  partitions: number,
  keyAttributes: readonly string[],
): PartitionPosition[] {
  const value = parse(cursor);
  if (typeof value !== 'object' || value === null) throw invalid();
  const { i, p } = value as { i?: unknown; p?: unknown };
  if (i !== index || !Array.isArray(p) || p.length !== partitions) {
    throw invalid();
  }
  const positions: unknown[] = p;
  if (!positions.every((pos) => isPosition(pos, keyAttributes))) {
    throw invalid();
  }
  return positions as PartitionPosition[];
}

/**
 * The page size: `fallback` when absent.
 * @throws ValidationError when it is not a positive integer.
 */
export function pageLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ValidationError('Invalid limit: a positive integer is required', [
      { path: 'limit', message: 'a positive integer is required' },
    ]);
  }
  return limit;
}
