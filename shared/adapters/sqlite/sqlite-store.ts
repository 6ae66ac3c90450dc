import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import type {
  DeliveryStore,
  EventStore,
  IntentStore,
  KeyStore,
  LockStore,
  OutboxStore,
  PolicyStore,
  RateLimitStore,
  Store,
} from '../../ports/store.js';
import { migrate } from './schema.js';
import { SqliteDeliveryStore } from './sqlite-deliveries.js';
import { guarded } from './sqlite-errors.js';
import { SqliteEventStore } from './sqlite-events.js';
import { SqliteIntentStore } from './sqlite-intents.js';
import { SqliteKeyStore } from './sqlite-keys.js';
import { SqliteLockStore } from './sqlite-locks.js';
import { SqliteOutboxStore } from './sqlite-outbox.js';
import { SqlitePolicyStore } from './sqlite-policies.js';
import { SqliteRateLimitStore } from './sqlite-rate-limits.js';

/** How long a write waits for another connection's lock by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** `':memory:'` or a file path (its folder is created when missing). */
  path: string;
  /** Source of every timestamp and of every expiry check. */
  clock: Clock;
  /** How long a write waits for a lock held elsewhere; default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * The {@link Store} on one better-sqlite3 connection: the local stack's store
 * and the fast fake of unit and integration tests, held to the same contract
 * suite as DynamoDB.
 *
 * A file database runs in WAL mode with `synchronous = NORMAL`: every commit
 * is atomic and consistent, and survives a process crash; an OS crash or
 * power loss may roll back the last commits (never corrupt the file). That is
 * the usual WAL trade-off and fits a local and test store. `foreign_keys` is
 * on; `busy_timeout` makes concurrent writers wait instead of failing.
 *
 * @example
 * const store = SqliteStore.open({ path: '.converge/converge.db', clock: systemClock });
 * await store.ping();
 * await store.close();
 */
export class SqliteStore implements Store {
  readonly events: EventStore;
  readonly intents: IntentStore;
  readonly policies: PolicyStore;
  readonly locks: LockStore;
  readonly deliveries: DeliveryStore;
  readonly keys: KeyStore;
  readonly rateLimits: RateLimitStore;
  readonly outbox: OutboxStore;
  private readonly pingStatement: Database.Statement<[], unknown>;

  private constructor(
    private readonly db: Database.Database,
    clock: Clock,
  ) {
    const events = new SqliteEventStore(db);
    const outbox = new SqliteOutboxStore(db, clock);
    this.events = events;
    this.outbox = outbox;
    this.intents = new SqliteIntentStore(db, clock, {
      insertEvent: (event) => events.insert(event),
      insertOutbox: (entry) => outbox.insert(entry),
    });
    this.policies = new SqlitePolicyStore(db, clock);
    this.locks = new SqliteLockStore(db, clock);
    this.deliveries = new SqliteDeliveryStore(db, clock);
    this.keys = new SqliteKeyStore(db, clock);
    this.rateLimits = new SqliteRateLimitStore(db, clock);
    this.pingStatement = db.prepare('SELECT 1');
  }

  /**
   * Opens (creating when missing) the database, sets its pragmas and applies
   * pending migrations.
   * @throws Error when the file cannot be opened or its schema is newer than
   * this code.
   */
  static open(opts: SqliteStoreOptions): SqliteStore {
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    const inMemory = opts.path === ':memory:' || opts.path === '';
    if (!inMemory) mkdirSync(dirname(opts.path), { recursive: true });
    const db = new Database(opts.path, { timeout: busyTimeoutMs });
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      if (!inMemory) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, opts.clock.nowIso());
      return new SqliteStore(db, opts.clock);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Runs `SELECT 1`. @throws when the connection is closed or broken. */
  ping(): Promise<void> {
    return guarded(() => {
      this.pingStatement.get();
    });
  }

  /** Closes the connection (checkpointing the WAL); idempotent. */
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
