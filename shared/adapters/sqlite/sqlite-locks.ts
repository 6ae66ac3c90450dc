import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import type { LockInfo, LockStore } from '../../ports/store.js';
import { checkDuration, msToIso, readClock } from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';

interface LockRow {
  lock_name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
  expires_ms: number;
}

interface AcquireParams {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
  expiresMs: number;
  now: number;
}

/**
 * Named leases on SQLite. A lock is live while `expires_ms > now` on the
 * injected clock; every read treats an expired row as free, so nothing relies
 * on a clean-up having run. `acquire` is one upsert that only overwrites a
 * row that is expired or already held by the same holder (a renewal).
 */
export class SqliteLockStore implements LockStore {
  private readonly acquireStatement: Database.Statement<
    [AcquireParams],
    LockRow
  >;
  private readonly releaseStatement: Database.Statement<
    [string, string],
    LockRow
  >;
  private readonly forceStatement: Database.Statement<[string], LockRow>;
  private readonly infoStatement: Database.Statement<[string, number], LockRow>;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard = guarded,
  ) {
    this.acquireStatement = db.prepare(
      `INSERT INTO queue_locks (lock_name, holder, acquired_at, expires_at,
         expires_ms)
       VALUES (@name, @holder, @acquiredAt, @expiresAt, @expiresMs)
       ON CONFLICT (lock_name) DO UPDATE SET holder = excluded.holder,
         acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,
         expires_ms = excluded.expires_ms
       WHERE queue_locks.holder = excluded.holder
          OR queue_locks.expires_ms <= @now
       RETURNING *`,
    );
    this.releaseStatement = db.prepare(
      'DELETE FROM queue_locks WHERE lock_name = ? AND holder = ? RETURNING *',
    );
    this.forceStatement = db.prepare(
      'DELETE FROM queue_locks WHERE lock_name = ? RETURNING *',
    );
    this.infoStatement = db.prepare(
      'SELECT * FROM queue_locks WHERE lock_name = ? AND expires_ms > ?',
    );
  }

  /**
   * Takes the lock when free or expired, or renews it for its own holder.
   * @returns null when another holder has a live lease.
   * @throws ValidationError when `ttlMs` < 1.
   */
  acquire(
    name: string,
    holder: string,
    ttlMs: number,
  ): Promise<LockInfo | null> {
    return this.guard(() => {
      checkDuration(ttlMs, 'ttlMs');
      const { ms: now, iso } = readClock(this.clock);
      const expiresMs = now + ttlMs;
      const row = this.acquireStatement.get({
        name,
        holder,
        acquiredAt: iso,
        expiresAt: msToIso(expiresMs),
        expiresMs,
        now,
      });
      return row === undefined ? null : toInfo(row);
    });
  }

  /** @inheritdoc An expired lease is no longer held: false. */
  release(name: string, holder: string): Promise<boolean> {
    return this.guard(() =>
      this.isLive(this.releaseStatement.get(name, holder)),
    );
  }

  /** @inheritdoc */
  forceRelease(name: string): Promise<boolean> {
    return this.guard(() => this.isLive(this.forceStatement.get(name)));
  }

  /** @inheritdoc */
  info(name: string): Promise<LockInfo | null> {
    return this.guard(() => {
      const row = this.infoStatement.get(name, this.clock.now());
      return row === undefined ? null : toInfo(row);
    });
  }

  /** True when a deleted row was a live lease (an expired one was free). */
  private isLive(deleted: LockRow | undefined): boolean {
    return deleted !== undefined && deleted.expires_ms > this.clock.now();
  }
}

function toInfo(row: LockRow): LockInfo {
  return {
    name: row.lock_name,
    holder: row.holder,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
  };
}
