import type { Clock } from '../../shared/ports/clock.js';

/** Where every {@link TestClock} starts unless told otherwise. */
export const TEST_EPOCH = '2030-01-01T00:00:00.000Z';

/**
 * A {@link Clock} that only moves when a test moves it, so expiry, windows
 * and ordering are deterministic on every adapter.
 * @example
 * const clock = new TestClock();
 * clock.advance(60_000);
 * clock.set('2030-02-01T00:00:00.000Z');
 */
export class TestClock implements Clock {
  private ms: number;

  /** Starts at `start` (ISO string or epoch ms); default {@link TEST_EPOCH}. */
  constructor(start: string | number = TEST_EPOCH) {
    this.ms = toMs(start);
  }

  /** @inheritdoc */
  now(): number {
    return this.ms;
  }

  /** @inheritdoc */
  nowIso(): string {
    return new Date(this.ms).toISOString();
  }

  /** Jumps to an instant (ISO string or epoch ms). */
  set(instant: string | number): void {
    this.ms = toMs(instant);
  }

  /** Moves forward (or back, when negative) by `ms`; returns the new ISO time. */
  advance(ms: number): string {
    if (!Number.isFinite(ms)) throw new RangeError(`cannot advance by ${ms}`);
    this.ms += ms;
    return this.nowIso();
  }
}

function toMs(instant: string | number): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${instant}`);
  return ms;
}
