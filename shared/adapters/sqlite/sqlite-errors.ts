import Database from 'better-sqlite3';
import { ConflictError, TransientError } from '../../domain/errors.js';

/**
 * Maps a vendor error to a domain error (HOUSE_STYLE §7.4): every
 * `SQLITE_CONSTRAINT_*` (duplicate key, NOT NULL) becomes `ConflictError`,
 * `SQLITE_BUSY`/`SQLITE_LOCKED` (busy_timeout ran out) `TransientError`.
 * Anything else, domain errors included, is returned unchanged.
 */
export function asDomainError(error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  if (error.code.startsWith('SQLITE_CONSTRAINT')) {
    return new ConflictError(`conflict: ${error.message}`);
  }
  if (error.code.startsWith('SQLITE_BUSY') || error.code === 'SQLITE_LOCKED') {
    return new TransientError('database is busy', 1, { cause: error });
  }
  return error;
}

/**
 * Runs a synchronous database operation as the port's async call, with vendor
 * errors mapped by {@link asDomainError}. Throws stay rejections.
 */
export async function guarded<T>(operation: () => T): Promise<T> {
  try {
    return operation();
  } catch (error) {
    throw asDomainError(error);
  }
}
