import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../shared/adapters/sqlite/sqlite-store.js';
import type { Clock } from '../../shared/ports/clock.js';
import { describeBusContract } from './bus.contract.js';

/** A clock that moves only when the test says so. */
function manualClock(start = Date.UTC(2026, 0, 1)): Clock & {
  advance(ms: number): void;
} {
  let now = start;
  return {
    now: () => now,
    nowIso: () => new Date(now).toISOString(),
    advance: (ms) => {
      now += ms;
    },
  };
}

describeBusContract('sqlite (in memory)', async () => {
  const clock = manualClock();
  const store = SqliteStore.open({ path: ':memory:', clock });
  const bus = store.openBus({ maxReceives: 3, visibilityMs: 30_000 });
  return {
    bus,
    consumer: bus,
    maxReceives: 3,
    visibilityMs: 1_000,
    elapse: async (ms) => clock.advance(ms),
    close: () => store.close(),
  };
});

describeBusContract(
  'sqlite (WAL file, producer and consumer apart)',
  async () => {
    const clock = manualClock();
    const dir = mkdtempSync(join(tmpdir(), 'converge-bus-'));
    const path = join(dir, 'bus.db');
    // Two connections stand for the HTTP process (sends) and the worker
    // process (receives, acks).
    const producer = SqliteStore.open({ path, clock });
    const consumer = SqliteStore.open({ path, clock });
    return {
      bus: producer.openBus({ maxReceives: 3 }),
      consumer: consumer.openBus({ maxReceives: 3, visibilityMs: 30_000 }),
      maxReceives: 3,
      visibilityMs: 1_000,
      elapse: async (ms) => clock.advance(ms),
      close: async () => {
        await producer.close();
        await consumer.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
);
