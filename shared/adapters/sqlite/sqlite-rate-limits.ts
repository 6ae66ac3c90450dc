import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import type { RateLimitStore } from '../../ports/store.js';
import { checkDuration, msToIso } from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';

interface HitParams {
  key: string;
  windowStart: number;
  windowMs: number;
}

interface HitRow {
  hits: number;
  window_start: number;
  window_ms: number;
}

/**
 * Fixed-window counters on SQLite: windows are aligned to multiples of
 * `windowMs` since the epoch, one row per key. A hit is a single upsert that
 * restarts the count when a newer window (or another window size) begins,
 * so concurrent hits each get a distinct count. A hit stamped with an older
 * window than the stored one (clock skew between writers) counts in the
 * stored window rather than resetting it.
 */
export class SqliteRateLimitStore implements RateLimitStore {
  private readonly hitStatement: Database.Statement<[HitParams], HitRow>;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard = guarded,
  ) {
    this.hitStatement = db.prepare(
      `INSERT INTO rate_limits (bucket_key, window_start, window_ms, hits)
       VALUES (@key, @windowStart, @windowMs, 1)
       ON CONFLICT (bucket_key) DO UPDATE SET
         hits = CASE
           WHEN excluded.window_ms <> rate_limits.window_ms
             OR excluded.window_start > rate_limits.window_start THEN 1
           ELSE rate_limits.hits + 1 END,
         window_start = CASE
           WHEN excluded.window_ms <> rate_limits.window_ms
             THEN excluded.window_start
           ELSE MAX(rate_limits.window_start, excluded.window_start) END,
         window_ms = excluded.window_ms
       RETURNING hits, window_start, window_ms`,
    );
  }

  /**
   * @inheritdoc `resetAt` is the end of the current window.
   * @throws ValidationError when `windowMs` < 1.
   */
  hit(
    key: string,
    windowMs: number,
  ): Promise<{ count: number; resetAt: string }> {
    return this.guard(() => {
      const size = Math.floor(checkDuration(windowMs, 'windowMs'));
      const windowStart = Math.floor(this.clock.now() / size) * size;
      const row = this.hitStatement.get({ key, windowStart, windowMs: size });
      if (row === undefined)
        throw new Error('rate-limit upsert returned no row');
      return {
        count: row.hits,
        resetAt: msToIso(row.window_start + row.window_ms),
      };
    });
  }
}
