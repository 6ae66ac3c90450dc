import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import type { BusMessage } from '../../../shared/ports/bus.js';
import { DEDUP_WINDOW_MS } from '../../../shared/ports/bus.js';
import { TestClock } from '../../support/test-clock.js';

const intent = (intentId: string): BusMessage => ({
  kind: 'validate-intent',
  intentId,
});

describe('SqliteBus on a file (what the contract cannot see)', () => {
  let dir: string;
  let path: string;
  let clock: TestClock;
  const opened: SqliteStore[] = [];

  const open = () => {
    const store = SqliteStore.open({ path, clock, onBusy: 'yield' });
    opened.push(store);
    return store;
  };
  const peek = <T>(sql: string): T => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).get() as T;
    } finally {
      db.close();
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'converge-bus-'));
    path = join(dir, 'converge.db');
    clock = new TestClock();
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a sent message across a restart of both sides', async () => {
    // Prepare
    const first = open();
    await first.openBus().send(intent('i-1'), { groupId: 'g', dedupId: 'd1' });
    await first.close();
    // Act
    const bus = open().openBus();
    const [received] = await bus.receive(1);
    // Assess
    expect(JSON.parse(received?.body ?? '{}')).toEqual(intent('i-1'));
  });

  it('polls an idle queue without waiting for another writer', async () => {
    // Prepare
    const bus = open().openBus();
    const writer = new Database(path);
    writer.exec('BEGIN IMMEDIATE');
    // Act
    const started = performance.now();
    const received = await bus.receive(10);
    const tookMs = performance.now() - started;
    writer.exec('ROLLBACK');
    writer.close();
    // Assess
    expect(received).toEqual([]);
    expect(tookMs).toBeLessThan(500);
  });

  it('sweeps dedup ids once their window is over, on the consumer side', async () => {
    // Prepare
    const store = open();
    const bus = store.openBus();
    for (let i = 0; i < 3; i++) {
      await bus.send(intent(`i-${i}`), { groupId: 'g', dedupId: `d${i}` });
    }
    const count = () =>
      peek<{ n: number }>('SELECT count(*) AS n FROM bus_dedup').n;
    const sentAll = count();
    // Act
    await bus.receive(1); // sweeps nothing yet: ids are live
    const whileLive = count();
    clock.advance(DEDUP_WINDOW_MS + 60_000);
    await bus.receive(1);
    // Assess
    expect(sentAll).toBe(3);
    expect(whileLive).toBe(3);
    expect(count()).toBe(0);
  });
});
