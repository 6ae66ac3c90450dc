import type Database from 'better-sqlite3';
import { ValidationError } from '../../domain/errors.js';
import type { ConvergeEvent, EventType } from '../../domain/event.js';
import {
  COUNT_FILTERS,
  type CountFilter,
  type EventFilter,
  type EventStore,
  type Page,
} from '../../ports/store.js';
import { decodeCursor, encodeCursor, pageLimit } from './page-cursor.js';
import { isoToMs, parseJsonObject, toJsonText } from './sqlite-codec.js';
import { type Guard, guarded } from './sqlite-errors.js';
import { StatementCache } from './statement-cache.js';

interface EventRow {
  id: string;
  trace_id: string;
  timestamp: string;
  ts_ms: number;
  event_type: string;
  intent_id: string | null;
  agent_id: string | null;
  tenant_id: string | null;
  payload: string;
  evidence: string;
}

/** Equality filters and their columns, in a fixed order (stable SQL text). */
const EQUALITY_COLUMNS = [
  ['type', 'event_type'],
  ['intentId', 'intent_id'],
  ['agentId', 'agent_id'],
  ['tenantId', 'tenant_id'],
  ['traceId', 'trace_id'],
] as const satisfies readonly (readonly [keyof CountFilter, string])[];

const CURSOR_KIND = 'events';

interface Where {
  clauses: string[];
  params: unknown[];
}

/**
 * The append-only event log on SQLite. Newest first by (timestamp, id); the
 * cursor is the last row's sort key, so pages never repeat or skip a row
 * even when new events arrive between calls.
 */
export class SqliteEventStore implements EventStore {
  private readonly insertStatement: Database.Statement<[EventRow]>;
  private readonly queries: StatementCache;

  constructor(
    db: Database.Database,
    private readonly guard: Guard = guarded,
  ) {
    this.queries = new StatementCache(db);
    this.insertStatement = db.prepare<[EventRow]>(
      `INSERT INTO events (id, trace_id, timestamp, ts_ms, event_type,
         intent_id, agent_id, tenant_id, payload, evidence)
       VALUES (@id, @trace_id, @timestamp, @ts_ms, @event_type,
         @intent_id, @agent_id, @tenant_id, @payload, @evidence)`,
    );
  }

  /**
   * Inserts synchronously, for use inside another store's transaction.
   * @throws SqliteError (SQLITE_CONSTRAINT_PRIMARYKEY) on a duplicate id;
   * ValidationError on an unparseable timestamp.
   */
  insert(event: ConvergeEvent): void {
    this.insertStatement.run(toRow(event));
  }

  /** @inheritdoc */
  append(event: ConvergeEvent): Promise<void> {
    return this.guard(() => this.insert(event));
  }

  /** @inheritdoc */
  query(
    filter: EventFilter = {},
    page: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ConvergeEvent>> {
    return this.guard(() => {
      const limit = pageLimit(page.limit);
      const where = rangeWhere(filter);
      if (page.cursor !== undefined) {
        const [ts, id] = decodeCursor(CURSOR_KIND, page.cursor, [
          'number',
          'string',
        ]);
        where.clauses.push('(ts_ms, id) < (?, ?)');
        where.params.push(ts, id);
      }
      const sql = `SELECT * FROM events${whereSql(where)}
        ORDER BY ts_ms DESC, id DESC LIMIT ?`;
      const rows = this.queries
        .get<EventRow>(sql)
        .all(...where.params, limit + 1);
      return toPage(rows, limit);
    });
  }

  /** @inheritdoc */
  latest(filter: EventFilter = {}): Promise<ConvergeEvent | undefined> {
    return this.guard(() => {
      const where = rangeWhere(filter);
      const sql = `SELECT * FROM events${whereSql(where)}
        ORDER BY ts_ms DESC, id DESC LIMIT 1`;
      const row = this.queries.get<EventRow>(sql).get(...where.params);
      return row === undefined ? undefined : fromRow(row);
    });
  }

  /** @inheritdoc */
  count(filter: CountFilter = {}): Promise<number> {
    return this.guard(() => {
      const unknown = Object.keys(filter).filter(
        (key) => !(COUNT_FILTERS as readonly string[]).includes(key),
      );
      if (unknown.length > 0) {
        throw new ValidationError(
          `unknown count filter: ${unknown.join(', ')}`,
          unknown.map((key) => ({ path: key, message: 'filter not allowed' })),
        );
      }
      const where = equalityWhere(filter);
      const sql = `SELECT COUNT(*) AS n FROM events${whereSql(where)}`;
      return this.queries.get<{ n: number }>(sql).get(...where.params)?.n ?? 0;
    });
  }

  /** @inheritdoc */
  prune(input: { before: string; dryRun?: boolean }): Promise<number> {
    return this.guard(() => {
      const before = isoToMs(input.before, 'before');
      if (input.dryRun === true) {
        const sql = 'SELECT COUNT(*) AS n FROM events WHERE ts_ms < ?';
        return this.queries.get<{ n: number }>(sql).get(before)?.n ?? 0;
      }
      const sql = 'DELETE FROM events WHERE ts_ms < ?';
      return this.queries.get(sql).run(before).changes;
    });
  }
}

function equalityWhere(filter: CountFilter): Where {
  const where: Where = { clauses: [], params: [] };
  for (const [field, column] of EQUALITY_COLUMNS) {
    const value = filter[field];
    if (value === undefined) continue;
    where.clauses.push(`${column} = ?`);
    where.params.push(value);
  }
  return where;
}

function rangeWhere(filter: EventFilter): Where {
  const where = equalityWhere(filter);
  if (filter.types !== undefined) {
    where.clauses.push(
      filter.types.length === 0
        ? '0'
        : `event_type IN (${filter.types.map(() => '?').join(', ')})`,
    );
    where.params.push(...filter.types);
  }
  if (filter.since !== undefined) {
    where.clauses.push('ts_ms >= ?');
    where.params.push(isoToMs(filter.since, 'since'));
  }
  if (filter.until !== undefined) {
    where.clauses.push('ts_ms < ?');
    where.params.push(isoToMs(filter.until, 'until'));
  }
  return where;
}

function whereSql(where: Where): string {
  return where.clauses.length === 0
    ? ''
    : ` WHERE ${where.clauses.join(' AND ')}`;
}

function toPage(rows: EventRow[], limit: number): Page<ConvergeEvent> {
  const items = rows.slice(0, limit).map(fromRow);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return last === undefined
    ? { items }
    : { items, cursor: encodeCursor(CURSOR_KIND, [last.ts_ms, last.id]) };
}

function toRow(event: ConvergeEvent): EventRow {
  return {
    id: event.id,
    trace_id: event.traceId,
    timestamp: event.timestamp,
    ts_ms: isoToMs(event.timestamp, 'timestamp'),
    event_type: event.type,
    intent_id: event.intentId ?? null,
    agent_id: event.agentId ?? null,
    tenant_id: event.tenantId ?? null,
    payload: toJsonText(event.payload ?? {}),
    evidence: toJsonText(event.evidence ?? {}),
  };
}

function fromRow(row: EventRow): ConvergeEvent {
  return {
    id: row.id,
    traceId: row.trace_id,
    timestamp: row.timestamp,
    type: row.event_type as EventType,
    intentId: row.intent_id,
    agentId: row.agent_id,
    tenantId: row.tenant_id,
    payload: parseJsonObject(row.payload),
    evidence: parseJsonObject(row.evidence),
  };
}
