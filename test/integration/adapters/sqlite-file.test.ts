import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  currentVersion,
  MIGRATIONS,
  migrate,
  rollback,
  SCHEMA_VERSION,
} from '../../../shared/adapters/sqlite/schema.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { anEvent, anIntent } from '../../support/fixtures.js';
import { TestClock } from '../../support/test-clock.js';

/** Reads pragmas and tables behind the adapter's back (adapter-specific checks). */
function inspect<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('SqliteStore on a file', () => {
  let dir: string;
  let path: string;
  let clock: TestClock;
  const opened: SqliteStore[] = [];

  const open = (busyTimeoutMs?: number) => {
    const store = SqliteStore.open(
      busyTimeoutMs === undefined
        ? { path, clock }
        : { path, clock, busyTimeoutMs },
    );
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'converge-sqlite-'));
    path = join(dir, 'nested', 'converge.db');
    clock = new TestClock();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the folder and runs in WAL mode with the chosen pragmas', async () => {
    // Prepare
    const store = open(2500);

    // Act
    await store.ping();

    // Assess
    expect(
      inspect(path, (db) => db.pragma('journal_mode', { simple: true })),
    ).toBe('wal');
    // busy_timeout, synchronous and foreign_keys are per connection: only
    // the store's own connection shows them, hence this one private peek.
    const pragmas = (store as unknown as { db: Database.Database }).db;
    expect(pragmas.pragma('busy_timeout', { simple: true })).toBe(2500);
    expect(pragmas.pragma('synchronous', { simple: true })).toBe(1);
    expect(pragmas.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('keeps data across close and reopen', async () => {
    const intent = anIntent({ tenantId: 't1' });
    const event = anEvent({ intentId: intent.id });
    const first = open();
    await first.intents.create(intent, event);
    await first.intents.transition({
      id: intent.id,
      to: 'VALIDATED',
      expectedVersion: 1,
      event: anEvent({ type: 'intent.validated', intentId: intent.id }),
      outbox: { id: 'ob-1', kind: 'k', payload: { a: 1 }, tenantId: 't1' },
    });
    await first.close();

    const second = open();

    expect(await second.intents.get(intent.id)).toMatchObject({
      status: 'VALIDATED',
      version: 2,
    });
    expect(await second.events.count({ intentId: intent.id })).toBe(2);
    expect(await second.outbox.get('ob-1')).toMatchObject({ attempts: 0 });
  });

  it('applies migrations once; reopening is a no-op', async () => {
    await open().close();
    await open().close();
    const third = open();
    await third.ping();

    const ledger = inspect(path, (db) => ({
      version: db.pragma('user_version', { simple: true }),
      rows: db.prepare('SELECT version, name FROM schema_migrations').all(),
    }));
    expect(ledger.version).toBe(SCHEMA_VERSION);
    expect(ledger.rows).toEqual(
      MIGRATIONS.map(({ version, name }) => ({ version, name })),
    );
  });

  it('applies only the migrations a database lacks', () => {
    const db = new Database(':memory:');
    const next = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'probe',
        sql: 'CREATE TABLE probe (x INTEGER)',
        down: 'DROP TABLE probe',
      },
    ];

    const firstRun = migrate(db, clock.nowIso());
    const secondRun = migrate(db, clock.nowIso(), next);
    const thirdRun = migrate(db, clock.nowIso(), next);

    expect(firstRun).toEqual(MIGRATIONS.map((m) => m.version));
    expect(secondRun).toEqual([MIGRATIONS.length + 1]);
    expect(thirdRun).toEqual([]);
    expect(() => migrate(db, clock.nowIso())).toThrow(/newer than this code/);
    db.close();
  });

  it('rolls migrations back with their down scripts, newest first', () => {
    // Prepare
    const db = new Database(':memory:');
    const next = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'probe',
        sql: 'CREATE TABLE probe (x INTEGER)',
        down: 'DROP TABLE probe',
      },
    ];
    migrate(db, clock.nowIso(), next);
    const tables = () =>
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => (row as { name: string }).name);
    // Act
    const toInitial = rollback(db, MIGRATIONS.length, next);
    const toEmpty = rollback(db, 0, next);
    // Assess
    expect(toInitial).toEqual([MIGRATIONS.length + 1]);
    expect(toEmpty).toEqual([...MIGRATIONS.map((m) => m.version)].reverse());
    expect(currentVersion(db)).toBe(0);
    expect(tables()).toEqual(['schema_migrations']);
    expect(migrate(db, clock.nowIso())).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    db.close();
  });

  it('shares committed writes between two connections to one file', async () => {
    const writer = open();
    const reader = open();

    await writer.intents.create(anIntent({ id: 'o/r:pr-shared' }));
    await writer.locks.acquire('queue', 'writer', 60_000);

    expect(await reader.intents.get('o/r:pr-shared')).not.toBeNull();
    expect(await reader.locks.acquire('queue', 'reader', 60_000)).toBeNull();
  });

  it('rejects ping after close, and close is idempotent', async () => {
    const store = open();

    await store.close();

    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.ping()).rejects.toThrow();
  });
});
