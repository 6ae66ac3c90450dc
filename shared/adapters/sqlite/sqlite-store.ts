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
import { SqliteBus, type SqliteBusOptions } from './sqlite-bus.js';
import { SqliteDeliveryStore } from './sqlite-deliveries.js';
import { type Guard, guarded, yieldingGuard } from './sqlite-errors.js';
import { SqliteEventStore } from './sqlite-events.js';
import { SqliteIntentStore } from './sqlite-intents.js';
import { SqliteKeyStore } from './sqlite-keys.js';
import { SqliteLockStore } from './sqlite-locks.js';
import { SqliteOutboxStore } from './sqlite-outbox.js';
import { SqlitePolicyStore } from './sqlite-policies.js';
import { SqliteRateLimitStore } from './sqlite-rate-limits.js';

/** How long a write waits for another connection's lock by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** WAL pages (64 MiB) above which a caught-up checkpoint restarts the WAL. */
const WAL_IDLE_FRAMES = 16_384;

/** WAL pages (1 GiB) above which the checkpoint restarts the WAL regardless. */
const WAL_LIMIT_FRAMES = 262_144;

/** Bytes of WAL file kept (and reused) after the WAL restarts. */
const WAL_KEPT_BYTES = 64 * 1024 * 1024;

/**
 * Whether the WAL, after a PASSIVE checkpoint reported `log` frames of
 * which `checkpointed` are copied back, should be started over: when the
 * checkpoint caught up (nothing was written meanwhile, so the restart holds
 * no writer up) with more than `idle` frames, or past `limit` regardless.
 * Other connections' short reads keep SQLite from restarting it by itself.
 */
export function walNeedsRestart(
  row: { log: number; checkpointed: number },
  frames: { idle: number; limit: number },
): boolean {
  const caughtUp = row.checkpointed >= row.log;
  return (caughtUp && row.log > frames.idle) || row.log > frames.limit;
}

/** How long a RESTART checkpoint waits for writers and readers in hand. */
const RESTART_WAIT_MS = 100;

/** Options of {@link SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** `':memory:'` or a file path (its folder is created when missing). */
  path: string;
  /** Source of every timestamp and of every expiry check. */
  clock: Clock;
  /** How long a write waits for a lock held elsewhere; default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * How a write waits for that lock: `block` (default) lets SQLite's busy
   * handler sleep, which stalls the whole process; `yield` retries on the
   * event loop (`yieldingGuard`), for a server whose other requests must
   * go on while another process (the local stack's worker) writes.
   */
  onBusy?: 'block' | 'yield';
  /**
   * Who copies the WAL back into the database file. `auto` (default):
   * SQLite's auto-checkpoint, run by whichever connection commits past 1000
   * WAL pages, fsyncs included. `elsewhere`: never this connection, whose
   * commits then only append to the WAL; another connection on the file
   * must checkpoint. `{ everyMs }`: auto, plus a PASSIVE checkpoint every
   * period (it never blocks readers or writers), for the connection that
   * checkpoints for the others. A RESTART checkpoint then starts the WAL over
   * when the PASSIVE one caught up with a WAL over 64 MiB (a lull), or when
   * the WAL passed 1 GiB under sustained writes (`walNeedsRestart`).
   */
  checkpoint?: 'auto' | 'elsewhere' | { everyMs: number };
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
  private checkpointTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard,
  ) {
    const events = new SqliteEventStore(db, guard);
    const outbox = new SqliteOutboxStore(db, clock, guard);
    this.events = events;
    this.outbox = outbox;
    const side = {
      insertEvent: events.insert.bind(events),
      insertOutbox: outbox.insert.bind(outbox),
    };
    this.intents = new SqliteIntentStore(db, clock, side, guard);
    this.policies = new SqlitePolicyStore(db, clock, guard);
    this.locks = new SqliteLockStore(db, clock, guard);
    this.deliveries = new SqliteDeliveryStore(db, clock, guard);
    this.keys = new SqliteKeyStore(db, clock, guard);
    this.rateLimits = new SqliteRateLimitStore(db, clock, guard);
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
    const waitMs = Math.max(0, Math.floor(busyTimeoutMs));
    const db = new Database(opts.path, { timeout: waitMs });
    try {
      db.pragma(`busy_timeout = ${waitMs}`);
      if (!inMemory) db.pragma('journal_mode = WAL');
      db.pragma(`journal_size_limit = ${WAL_KEPT_BYTES}`);
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, opts.clock.nowIso());
      const yielding = opts.onBusy === 'yield';
      // Opening blocked as needed (migrations); from now on, yield.
      if (yielding) db.pragma('busy_timeout = 0');
      const guard = yielding ? yieldingGuard(waitMs) : guarded;
      const store = new SqliteStore(db, opts.clock, guard);
      if (!inMemory) store.scheduleCheckpoints(opts.checkpoint ?? 'auto');
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private scheduleCheckpoints(
    checkpoint: NonNullable<SqliteStoreOptions['checkpoint']>,
  ): void {
    if (checkpoint === 'elsewhere') {
      this.db.pragma('wal_autocheckpoint = 0');
      return;
    }
    if (checkpoint === 'auto') return;
    const frames = { idle: WAL_IDLE_FRAMES, limit: WAL_LIMIT_FRAMES };
    this.checkpointTimer = setInterval(() => {
      try {
        const [row] = this.db.pragma('wal_checkpoint(PASSIVE)') as Array<{
          log: number;
          checkpointed: number;
        }>;
        if (row && walNeedsRestart(row, frames)) this.restartWal();
      } catch {
        // Busy or closing: the next period tries again.
      }
    }, checkpoint.everyMs);
    this.checkpointTimer.unref();
  }

  /**
   * Restarts the WAL. A PASSIVE checkpoint copies pages back but never
   * restarts the log while other connections keep writing, so under
   * sustained writes the WAL grows without bound (2.5 GB in a 30 s webhook
   * flood here). RESTART waits up to `RESTART_WAIT_MS` for the writers and
   * readers in hand, copies the frames the PASSIVE pass left and makes the
   * next writer start the log over, keeping `WAL_KEPT_BYTES` of the file
   * (`journal_size_limit`): 0–55 ms here under a flood, during which other
   * writers find the file busy and retry, hence only in a lull or past the
   * limit.
   */
  private restartWal(): void {
    const previous = this.db.pragma('busy_timeout', { simple: true });
    this.db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
    try {
      this.db.pragma('wal_checkpoint(RESTART)');
    } finally {
      this.db.pragma(`busy_timeout = ${Number(previous)}`);
    }
  }

  /** True for a database file (shared by processes), false in memory. */
  get persistent(): boolean {
    return !this.db.memory;
  }

  /**
   * The durable bus on this connection's database (its tables come with the
   * schema): another process opening the same file sees the same queue.
   * @example
   * const bus = store.openBus({ maxReceives: 5 });
   */
  openBus(options: Omit<SqliteBusOptions, 'clock'> = {}): SqliteBus {
    return new SqliteBus(
      this.db,
      { clock: this.clock, ...options },
      this.guard,
    );
  }

  /** Runs `SELECT 1`. @throws when the connection is closed or broken. */
  ping(): Promise<void> {
    return this.guard(() => {
      this.pingStatement.get();
    });
  }

  /** Closes the connection (checkpointing the WAL); idempotent. */
  async close(): Promise<void> {
    clearInterval(this.checkpointTimer);
    if (this.db.open) this.db.close();
  }
}
