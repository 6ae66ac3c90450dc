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

/** How a store runs its operations: `guarded` or a `yieldingGuard`. */
export type Guard = <T>(operation: () => T) => Promise<T>;

function isBusy(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code.startsWith('SQLITE_BUSY')
  );
}

/** The pause before retry `attempt` (0-based): a turn of the loop, then ms. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => {
    if (attempt === 0) setImmediate(resolve);
    else setTimeout(resolve, Math.min(attempt, 4));
  });
}

/**
 * `guarded` for a connection opened with `busy_timeout = 0`: an operation
 * that finds the database locked by another connection (SQLITE_BUSY, so it
 * changed nothing: every operation is one statement or one transaction) is
 * retried after yielding to the event loop, for up to `budgetMs`, instead of
 * SQLite's busy handler sleeping and blocking the whole process. Then it is
 * a `TransientError`, as when busy_timeout runs out.
 * @example
 * const guard = yieldingGuard(5000);
 * await guard(() => statement.run(params));
 */
export function yieldingGuard(
  budgetMs: number,
  now: () => number = () => performance.now(),
): Guard {
  return async <T>(operation: () => T): Promise<T> => {
    let deadline: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return operation();
      } catch (error) {
        deadline ??= now() + budgetMs;
        if (!isBusy(error) || now() >= deadline) throw asDomainError(error);
      }
      await pause(attempt);
    }
  };
}
