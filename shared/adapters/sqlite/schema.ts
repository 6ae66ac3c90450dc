import type Database from 'better-sqlite3';

/** One forward-only schema change, applied at most once per database. */
export interface Migration {
  /** Consecutive from 1; also written to `PRAGMA user_version`. */
  version: number;
  name: string;
  /** The up script. */
  sql: string;
  /** The down script: undoes `sql` (used by {@link rollback}). */
  down: string;
}

/**
 * The schema of the reference's seven tables (§2) plus keys, rate limits and
 * the outbox. Every instant that is compared or sorted on also has an `*_ms`
 * integer column: ISO strings only sort correctly when they share one format,
 * and callers may pass `2030-01-01` or an offset. The ISO text is kept as
 * given so values round-trip unchanged.
 */
const INITIAL_SCHEMA = `
CREATE TABLE events (
  id          TEXT PRIMARY KEY,
  trace_id    TEXT NOT NULL,
  timestamp   TEXT NOT NULL,
  ts_ms       INTEGER NOT NULL,
  event_type  TEXT NOT NULL,
  intent_id   TEXT,
  agent_id    TEXT,
  tenant_id   TEXT,
  payload     TEXT NOT NULL DEFAULT '{}',
  evidence    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_time ON events (ts_ms, id);
CREATE INDEX events_by_type ON events (event_type, ts_ms, id);
CREATE INDEX events_by_intent ON events (intent_id, ts_ms, id);
CREATE INDEX events_by_agent ON events (agent_id, ts_ms, id);
CREATE INDEX events_by_tenant ON events (tenant_id, ts_ms, id);
CREATE INDEX events_by_trace ON events (trace_id, ts_ms, id);

CREATE TABLE intents (
  id              TEXT PRIMARY KEY,
  source          TEXT NOT NULL,
  target          TEXT NOT NULL,
  status          TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  created_ms      INTEGER NOT NULL,
  updated_at      TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  risk_level      TEXT NOT NULL,
  priority        INTEGER NOT NULL,
  semantic        TEXT NOT NULL,
  technical       TEXT NOT NULL,
  checks_required TEXT NOT NULL,
  dependencies    TEXT NOT NULL,
  retries         INTEGER NOT NULL,
  tenant_id       TEXT,
  plan_id         TEXT,
  origin_type     TEXT NOT NULL,
  version         INTEGER NOT NULL
);
CREATE INDEX intents_by_order ON intents (priority, created_ms, id);
CREATE INDEX intents_by_status ON intents (status, priority, created_ms, id);
CREATE INDEX intents_by_tenant ON intents (tenant_id, priority, created_ms, id);

CREATE TABLE risk_policies (
  tenant_id  TEXT PRIMARY KEY,
  data       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE agent_policies (
  agent_id   TEXT NOT NULL,
  tenant_id  TEXT NOT NULL DEFAULT '',
  data       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (agent_id, tenant_id)
);
CREATE INDEX agent_policies_by_tenant ON agent_policies (tenant_id, agent_id);

CREATE TABLE compliance_thresholds (
  tenant_id  TEXT PRIMARY KEY,
  data       TEXT NOT NULL,
  version    INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE queue_locks (
  lock_name   TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  expires_ms  INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  delivery_id TEXT PRIMARY KEY,
  received_at TEXT NOT NULL,
  expires_ms  INTEGER NOT NULL
);

CREATE TABLE api_keys (
  key_hash   TEXT PRIMARY KEY,
  key_id     TEXT NOT NULL,
  actor      TEXT NOT NULL,
  role       TEXT NOT NULL,
  tenant_id  TEXT,
  scopes     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_at TEXT,
  expires_ms INTEGER,
  revoked_at TEXT
);
CREATE INDEX api_keys_by_key_id ON api_keys (key_id);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, created_ms);

CREATE TABLE rate_limits (
  bucket_key   TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  window_ms    INTEGER NOT NULL,
  hits         INTEGER NOT NULL
);

CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,
  kind            TEXT NOT NULL,
  payload         TEXT NOT NULL,
  tenant_id       TEXT,
  created_at      TEXT NOT NULL,
  created_ms      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  last_error      TEXT,
  done_at         TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_ms, created_ms, id)
  WHERE done_at IS NULL;
`;

const INITIAL_DOWN = [
  'outbox',
  'rate_limits',
  'api_keys',
  'webhook_deliveries',
  'queue_locks',
  'compliance_thresholds',
  'agent_policies',
  'risk_policies',
  'intents',
  'events',
]
  .map((table) => `DROP TABLE IF EXISTS ${table};`)
  .join('\n');

/**
 * The durable local bus (sqlite-bus.ts): FIFO groups by `seq` within
 * `group_id`, one in-flight receipt per message, dead letters kept with the
 * instant they died, and the dedup window as its own table. `body` comes
 * last: a column after a large value is only reached by walking its
 * overflow pages, and the bookkeeping columns are read on every receive.
 */
const BUS_SCHEMA = `
CREATE TABLE bus_messages (
  seq           INTEGER PRIMARY KEY,
  message_id    TEXT NOT NULL,
  group_id      TEXT NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  receipt       TEXT,
  visible_ms    INTEGER NOT NULL DEFAULT 0,
  dead_ms       INTEGER,
  body          TEXT NOT NULL
);
CREATE INDEX bus_messages_live ON bus_messages (group_id, seq)
  WHERE dead_ms IS NULL;
CREATE UNIQUE INDEX bus_messages_receipt ON bus_messages (receipt)
  WHERE receipt IS NOT NULL;
CREATE INDEX bus_messages_dead ON bus_messages (dead_ms, seq)
  WHERE dead_ms IS NOT NULL;

CREATE TABLE bus_dedup (
  dedup_id TEXT PRIMARY KEY,
  until_ms INTEGER NOT NULL
);
CREATE INDEX bus_dedup_by_expiry ON bus_dedup (until_ms);
`;

const BUS_DOWN = `
DROP TABLE IF EXISTS bus_dedup;
DROP TABLE IF EXISTS bus_messages;
`;

/** Every migration, in order. Append only; never edit a shipped entry. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: INITIAL_SCHEMA, down: INITIAL_DOWN },
  { version: 2, name: 'durable local bus', sql: BUS_SCHEMA, down: BUS_DOWN },
];

/** The schema version this code expects. */
export const SCHEMA_VERSION = MIGRATIONS.length;

const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/**
 * Brings `db` up to {@link SCHEMA_VERSION}; a no-op when it already is. Each
 * migration runs in its own IMMEDIATE transaction that also records it in
 * `schema_migrations` and `PRAGMA user_version`, so two processes opening the
 * same file at once apply it exactly once.
 * @returns the versions applied by this call.
 * @throws Error when the database is newer than this code (a downgrade).
 */
export function migrate(
  db: Database.Database,
  nowIso: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  db.exec(LEDGER);
  const latest = migrations.length;
  const applied: number[] = [];
  const applyOne = db.transaction((migration: Migration): boolean => {
    const current = currentVersion(db);
    if (current >= migration.version) return false;
    db.exec(migration.sql);
    db.prepare(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    ).run(migration.version, migration.name, nowIso);
    db.pragma(`user_version = ${migration.version}`);
    return true;
  });
  if (currentVersion(db) > latest) {
    throw new Error(
      `database schema v${currentVersion(db)} is newer than this code (v${latest})`,
    );
  }
  // Up to date: no write lock at all (a second process opening the file
  // while the first one writes does not wait).
  if (currentVersion(db) === latest) return applied;
  for (const migration of migrations) {
    if (applyOne.immediate(migration)) applied.push(migration.version);
  }
  return applied;
}

/** The schema version recorded in `PRAGMA user_version`. */
export function currentVersion(db: Database.Database): number {
  const value = db.pragma('user_version', { simple: true });
  return typeof value === 'number' ? value : 0;
}

/**
 * Takes `db` back down to `toVersion` by running the down scripts, newest
 * first, each in its own transaction with its ledger row removed.
 * @returns the versions rolled back.
 */
export function rollback(
  db: Database.Database,
  toVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  db.exec(LEDGER);
  const undone: number[] = [];
  const undoOne = db.transaction((migration: Migration) => {
    db.exec(migration.down);
    db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(
      migration.version,
    );
    db.pragma(`user_version = ${migration.version - 1}`);
  });
  for (const migration of [...migrations].reverse()) {
    if (migration.version <= toVersion) break;
    if (currentVersion(db) < migration.version) continue;
    undoOne.immediate(migration);
    undone.push(migration.version);
  }
  return undone;
}
