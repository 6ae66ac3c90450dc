import type Database from 'better-sqlite3';
import { ConflictError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { DeliveryStore } from '../../ports/store.js';
import { checkDuration, readClock } from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';

/** How long a claim is kept when the caller gives no TTL. */
export const DEFAULT_CLAIM_TTL_MS = 90 * 24 * 60 * 60 * 1000;

interface ClaimParams {
  id: string;
  receivedAt: string;
  expiresMs: number;
  now: number;
}

/**
 * Delivery and job claims on SQLite. `claim` is one upsert that only
 * replaces an expired claim, so two concurrent claims of one id cannot both
 * succeed; reads ignore expired claims.
 */
export class SqliteDeliveryStore implements DeliveryStore {
  private readonly claimStatement: Database.Statement<
    [ClaimParams],
    { delivery_id: string }
  >;
  private readonly claimedStatement: Database.Statement<
    [string, number],
    { delivery_id: string }
  >;
  private readonly unclaimStatement: Database.Statement<[string]>;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard = guarded,
  ) {
    this.claimStatement = db.prepare(
      `INSERT INTO webhook_deliveries (delivery_id, received_at, expires_ms)
       VALUES (@id, @receivedAt, @expiresMs)
       ON CONFLICT (delivery_id) DO UPDATE SET
         received_at = excluded.received_at, expires_ms = excluded.expires_ms
       WHERE webhook_deliveries.expires_ms <= @now
       RETURNING delivery_id`,
    );
    this.claimedStatement = db.prepare(
      `SELECT delivery_id FROM webhook_deliveries
       WHERE delivery_id = ? AND expires_ms > ?`,
    );
    this.unclaimStatement = db.prepare(
      'DELETE FROM webhook_deliveries WHERE delivery_id = ?',
    );
  }

  /**
   * @inheritdoc
   * @throws ValidationError when `ttlMs` < 1.
   */
  claim(id: string, ttlMs: number = DEFAULT_CLAIM_TTL_MS): Promise<void> {
    return this.guard(() => {
      checkDuration(ttlMs, 'ttlMs');
      const { ms: now, iso } = readClock(this.clock);
      const claimed = this.claimStatement.get({
        id,
        receivedAt: iso,
        expiresMs: now + ttlMs,
        now,
      });
      if (claimed === undefined) {
        throw new ConflictError(`delivery ${id} is already claimed`);
      }
    });
  }

  /** @inheritdoc */
  isClaimed(id: string): Promise<boolean> {
    return this.guard(
      () => this.claimedStatement.get(id, this.clock.now()) !== undefined,
    );
  }

  /** @inheritdoc Idempotent: unclaiming an unknown id does nothing. */
  unclaim(id: string): Promise<void> {
    return this.guard(() => {
      this.unclaimStatement.run(id);
    });
  }
}
