import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../shared/adapters/sqlite/sqlite-store.js';
import { TestClock } from '../support/test-clock.js';
import { describeStoreContract } from './store.contract.js';

/** The same contract on a file database (WAL mode), one temp dir per test. */
describeStoreContract('sqlite-file', async () => {
  const clock = new TestClock();
  const dir = mkdtempSync(join(tmpdir(), 'converge-store-contract-'));
  const store = SqliteStore.open({ path: join(dir, 'converge.db'), clock });
  return {
    store,
    clock,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite-file journal mode', () => {
  it('runs the file database in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'converge-store-wal-'));
    try {
      const path = join(dir, 'converge.db');
      const store = SqliteStore.open({ path, clock: new TestClock() });
      await store.close();
      const db = new Database(path, { readonly: true });
      const mode = db.pragma('journal_mode', { simple: true });
      db.close();
      expect(mode).toBe('wal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
