import { MemoryBus } from '../../shared/adapters/memory-bus/memory-bus.js';
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

describeBusContract('memory', async () => {
  const clock = manualClock();
  const bus = new MemoryBus({ clock, maxReceives: 3, visibilityMs: 30_000 });
  return {
    bus,
    consumer: bus,
    maxReceives: 3,
    visibilityMs: 1_000,
    elapse: async (ms) => clock.advance(ms),
    close: async () => {},
  };
});
