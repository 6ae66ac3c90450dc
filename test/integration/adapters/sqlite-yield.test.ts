import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { TransientError } from '../../../shared/domain/errors.js';
import { TestClock } from '../../support/test-clock.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SqliteStore with onBusy: yield', () => {
  let dir: string;
  let path: string;
  let other: Database.Database;
  const opened: SqliteStore[] = [];

  /** A store, then another process's connection takes the write lock. */
  const open = (busyTimeoutMs = 5000) => {
    const store = SqliteStore.open({
      path,
      clock: new TestClock(),
      busyTimeoutMs,
      onBusy: 'yield',
    });
    opened.push(store);
    other.exec('BEGIN IMMEDIATE');
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'converge-yield-'));
    path = join(dir, 'converge.db');
    other = new Database(path);
  });

  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for a lock held elsewhere without stalling the event loop', async () => {
    // Prepare
    const store = open();
    let settled = false;
    // Act
    const claim = store.deliveries.claim('d-1').then(() => {
      settled = true;
    });
    const started = performance.now();
    await tick(50);
    const waited = performance.now() - started;
    const whileLocked = settled;
    other.exec('COMMIT');
    await claim;
    // Assess: timers ran on time while the claim waited, then it went in.
    expect(whileLocked).toBe(false);
    expect(waited).toBeLessThan(1000);
    expect(await store.deliveries.isClaimed('d-1')).toBe(true);
  });

  it('reads while another connection writes', async () => {
    const store = open();
    await expect(store.deliveries.isClaimed('d-2')).resolves.toBe(false);
  });

  it('gives up with TransientError once the busy budget is spent', async () => {
    // Prepare
    const store = open(100);
    // Act
    const claim = store.deliveries.claim('d-3');
    // Assess
    await expect(claim).rejects.toBeInstanceOf(TransientError);
    other.exec('COMMIT');
    expect(await store.deliveries.isClaimed('d-3')).toBe(false);
  });

  it('sends to the durable bus once the lock is free', async () => {
    // Prepare
    const store = open();
    const bus = store.openBus();
    // Act
    const sent = bus.send(
      { kind: 'validate-intent', intentId: 'i-1' },
      { groupId: 'g', dedupId: 'i-1' },
    );
    await tick(20);
    other.exec('COMMIT');
    await sent;
    const [received] = await bus.receive(1);
    // Assess
    expect(JSON.parse(received?.body ?? '{}')).toEqual({
      kind: 'validate-intent',
      intentId: 'i-1',
    });
  });
});
