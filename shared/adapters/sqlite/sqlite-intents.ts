import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { ConvergeEvent } from '../../domain/event.js';
import type { Intent, IntentPatch, IntentStatus } from '../../domain/intent.js';
import { assertTransition } from '../../domain/intent-state.js';
import type { Clock } from '../../ports/clock.js';
import type {
  IntentFilter,
  IntentStore,
  OutboxInput,
  Page,
  TransitionInput,
} from '../../ports/store.js';
import { decodeCursor, encodeCursor, pageLimit } from './page-cursor.js';
import { type Guard, guarded } from './sqlite-errors.js';
import {
  applyPatch,
  type IntentRow,
  intentToRow,
  rowToIntent,
} from './sqlite-intent-rows.js';
import { StatementCache } from './statement-cache.js';

/** Synchronous writers of other tables, joined into intent transactions. */
export interface IntentSideWriters {
  insertEvent(event: ConvergeEvent): void;
  insertOutbox(entry: OutboxInput): void;
}

type UpdateInput = Parameters<IntentStore['update']>[0];

const CURSOR_KIND = 'intents';
const COLUMNS = `id, source, target, status, created_at, created_ms,
  updated_at, created_by, risk_level, priority, semantic, technical,
  checks_required, dependencies, retries, tenant_id, plan_id, origin_type,
  version`;
const VALUES = COLUMNS.replace(/(\w+)/g, '@$1');
const SETS = COLUMNS.split(',')
  .map((column) => column.trim())
  .filter((column) => column !== 'id')
  .map((column) => `${column} = @${column}`)
  .join(', ');

/**
 * Intents on SQLite with optimistic versions. Every multi-row write (intent
 * plus event plus outbox entry) is one IMMEDIATE transaction: the write lock
 * is taken before the version is read, so a concurrent writer in another
 * process waits (busy_timeout) instead of failing at commit.
 */
export class SqliteIntentStore implements IntentStore {
  private readonly insertStatement: Database.Statement<[IntentRow]>;
  private readonly selectStatement: Database.Statement<[string], IntentRow>;
  private readonly updateStatement: Database.Statement<
    [IntentRow & { expected: number }]
  >;
  private readonly queries: StatementCache;
  private readonly createTx: Database.Transaction<
    (intent: Intent, event?: ConvergeEvent) => Intent
  >;
  private readonly transitionTx: Database.Transaction<
    (input: TransitionInput) => Intent
  >;
  private readonly updateTx: Database.Transaction<
    (input: UpdateInput) => Intent
  >;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
    private readonly side: IntentSideWriters,
    private readonly guard: Guard = guarded,
  ) {
    this.queries = new StatementCache(db);
    this.insertStatement = db.prepare<[IntentRow]>(
      `INSERT INTO intents (${COLUMNS}) VALUES (${VALUES})`,
    );
    this.selectStatement = db.prepare<[string], IntentRow>(
      'SELECT * FROM intents WHERE id = ?',
    );
    this.updateStatement = db.prepare<[IntentRow & { expected: number }]>(
      `UPDATE intents SET ${SETS} WHERE id = @id AND version = @expected`,
    );
    this.createTx = db.transaction((intent, event) =>
      this.doCreate(intent, event),
    );
    this.transitionTx = db.transaction((input) => this.doTransition(input));
    this.updateTx = db.transaction((input) => this.doUpdate(input));
  }

  /** @inheritdoc */
  create(intent: Intent, event?: ConvergeEvent): Promise<Intent> {
    return this.guard(() => this.createTx.immediate(intent, event));
  }

  /** @inheritdoc */
  get(id: string): Promise<Intent | null> {
    return this.guard(() => {
      const row = this.selectStatement.get(id);
      return row === undefined ? null : rowToIntent(row);
    });
  }

  /** @inheritdoc */
  list(
    filter: IntentFilter = {},
    page: { limit?: number; cursor?: string } = {},
  ): Promise<Page<Intent>> {
    return this.guard(() => {
      const limit = pageLimit(page.limit);
      const clauses: string[] = [];
      const params: unknown[] = [];
      if (filter.status !== undefined) {
        clauses.push('status = ?');
        params.push(filter.status);
      }
      if (filter.tenantId !== undefined) {
        clauses.push('tenant_id = ?');
        params.push(filter.tenantId);
      }
      if (page.cursor !== undefined) {
        clauses.push('(priority, created_ms, id) > (?, ?, ?)');
        params.push(
          ...decodeCursor(CURSOR_KIND, page.cursor, [
            'number',
            'number',
            'string',
          ]),
        );
      }
      const where = clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '';
      const sql = `SELECT * FROM intents${where}
        ORDER BY priority, created_ms, id LIMIT ?`;
      const rows = this.queries.get<IntentRow>(sql).all(...params, limit + 1);
      return toPage(rows, limit);
    });
  }

  /** @inheritdoc */
  transition(input: TransitionInput): Promise<Intent> {
    return this.guard(() => this.transitionTx.immediate(input));
  }

  /** @inheritdoc */
  update(input: UpdateInput): Promise<Intent> {
    return this.guard(() => this.updateTx.immediate(input));
  }

  /** @inheritdoc */
  updateRetries(
    id: string,
    retries: number,
    expectedVersion: number,
  ): Promise<Intent> {
    return this.update({ id, expectedVersion, patch: { retries } });
  }

  private doCreate(intent: Intent, event?: ConvergeEvent): Intent {
    const row = intentToRow(intent);
    this.insertStatement.run(row);
    if (event !== undefined) this.side.insertEvent(event);
    return rowToIntent(row);
  }

  private doTransition(input: TransitionInput): Intent {
    const current = this.load(input.id);
    assertTransition(current.status, input.to, input.force === true);
    const next = this.write(
      current,
      input.expectedVersion,
      input.patch,
      input.to,
    );
    this.side.insertEvent(input.event);
    if (input.outbox !== undefined) this.side.insertOutbox(input.outbox);
    return next;
  }

  private doUpdate(input: UpdateInput): Intent {
    const current = this.load(input.id);
    const next = this.write(current, input.expectedVersion, input.patch);
    if (input.event !== undefined) this.side.insertEvent(input.event);
    return next;
  }

  private load(id: string): Intent {
    const row = this.selectStatement.get(id);
    if (row === undefined) throw new NotFoundError(`intent ${id} not found`);
    return rowToIntent(row);
  }

  /** Writes `current` + patch + status as version + 1, guarded by version. */
  private write(
    current: Intent,
    expectedVersion: number,
    patch: IntentPatch = {},
    status: IntentStatus = current.status,
  ): Intent {
    if (current.version !== expectedVersion) {
      throw staleVersion(current, expectedVersion);
    }
    const row = intentToRow({
      ...applyPatch(current, patch),
      status,
      updatedAt: this.clock.nowIso(),
      version: current.version + 1,
    });
    const result = this.updateStatement.run({
      ...row,
      expected: expectedVersion,
    });
    if (result.changes !== 1) throw staleVersion(current, expectedVersion);
    return rowToIntent(row);
  }
}

function staleVersion(current: Intent, expected: number): ConflictError {
  return new ConflictError(
    `intent ${current.id} is at version ${current.version}, not ${expected}`,
  );
}

function toPage(rows: IntentRow[], limit: number): Page<Intent> {
  const items = rows.slice(0, limit).map(rowToIntent);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  if (last === undefined) return { items };
  const key = [last.priority, last.created_ms, last.id];
  return { items, cursor: encodeCursor(CURSOR_KIND, key) };
}
