import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import type {
  OutboxEntry,
  OutboxInput,
  OutboxStore,
} from '../../ports/store.js';
import { pageLimit } from './page-cursor.js';
import {
  isoToMs,
  parseJsonObject,
  readClock,
  toJsonText,
} from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';

/** Entries returned by `pending` when the caller gives no limit. */
export const DEFAULT_PENDING_LIMIT = 100;

interface OutboxRow {
  id: string;
  kind: string;
  payload: string;
  tenant_id: string | null;
  created_at: string;
  created_ms: number;
  attempts: number;
  next_attempt_at: string;
  next_attempt_ms: number;
  last_error: string | null;
  done_at: string | null;
}

type NewOutboxRow = Omit<OutboxRow, 'attempts' | 'last_error' | 'done_at'>;

/**
 * The outbox on SQLite (DECISIONS 13): an entry is due at enqueue time and
 * after each failed attempt at the `nextAttemptAt` the publisher chose.
 */
export class SqliteOutboxStore implements OutboxStore {
  private readonly insertStatement: Database.Statement<[NewOutboxRow]>;
  private readonly pendingStatement: Database.Statement<
    [number, number],
    OutboxRow
  >;
  private readonly doneStatement: Database.Statement<[string, string]>;
  private readonly attemptStatement: Database.Statement<
    [string, string, number, string]
  >;
  private readonly getStatement: Database.Statement<[string], OutboxRow>;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly guard: Guard = guarded,
  ) {
    this.insertStatement = db.prepare(
      `INSERT INTO outbox (id, kind, payload, tenant_id, created_at,
         created_ms, next_attempt_at, next_attempt_ms)
       VALUES (@id, @kind, @payload, @tenant_id, @created_at, @created_ms,
         @next_attempt_at, @next_attempt_ms)`,
    );
    this.pendingStatement = db.prepare(
      `SELECT * FROM outbox WHERE done_at IS NULL AND next_attempt_ms <= ?
       ORDER BY created_ms, id LIMIT ?`,
    );
    this.doneStatement = db.prepare(
      'UPDATE outbox SET done_at = ? WHERE id = ? AND done_at IS NULL',
    );
    this.attemptStatement = db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
         next_attempt_at = ?, next_attempt_ms = ? WHERE id = ?`,
    );
    this.getStatement = db.prepare('SELECT * FROM outbox WHERE id = ?');
  }

  /**
   * Inserts synchronously, for use inside another store's transaction.
   * @throws SqliteError (SQLITE_CONSTRAINT_PRIMARYKEY) on a duplicate id.
   */
  insert(entry: OutboxInput): void {
    const { ms: now, iso: nowIso } = readClock(this.clock);
    this.insertStatement.run({
      id: entry.id,
      kind: entry.kind,
      payload: toJsonText(entry.payload),
      tenant_id: entry.tenantId ?? null,
      created_at: nowIso,
      created_ms: now,
      next_attempt_at: nowIso,
      next_attempt_ms: now,
    });
  }

  /** @inheritdoc */
  enqueue(entry: OutboxInput): Promise<void> {
    return this.guard(() => this.insert(entry));
  }

  /**
   * @inheritdoc Ordered by createdAt, then id; at most 100 by default.
   * @throws ValidationError unless `limit` is a positive integer.
   */
  pending(limit?: number): Promise<OutboxEntry[]> {
    return this.guard(() => {
      const size = pageLimit(limit, DEFAULT_PENDING_LIMIT);
      return this.pendingStatement.all(this.clock.now(), size).map(fromRow);
    });
  }

  /** @inheritdoc The first `doneAt` is kept; an unknown id is a no-op. */
  markDone(id: string): Promise<void> {
    return this.guard(() => {
      this.doneStatement.run(this.clock.nowIso(), id);
    });
  }

  /** @inheritdoc An unknown id is a no-op. */
  recordAttempt(
    id: string,
    error: string,
    nextAttemptAt: string,
  ): Promise<void> {
    return this.guard(() => {
      const nextMs = isoToMs(nextAttemptAt, 'nextAttemptAt');
      this.attemptStatement.run(error, nextAttemptAt, nextMs, id);
    });
  }

  /** @inheritdoc */
  get(id: string): Promise<OutboxEntry | null> {
    return this.guard(() => {
      const row = this.getStatement.get(id);
      return row === undefined ? null : fromRow(row);
    });
  }
}

function fromRow(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    kind: row.kind,
    payload: parseJsonObject(row.payload),
    tenantId: row.tenant_id,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    doneAt: row.done_at,
  };
}
