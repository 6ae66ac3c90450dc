import type { Clock } from '../../ports/clock.js';
import type { RateLimitStore } from '../../ports/store.js';

interface Window {
  /** Start of the fixed window, ms since the epoch (aligned as the store does). */
  start: number;
  size: number;
  /** The store's count when this process first hit the window. */
  base: number;
  /** Hits counted here since. */
  local: number;
  resetAt: string;
}

/** Above this many remembered keys, windows that ended are forgotten. */
const PRUNE_ABOVE = 1_000;

/**
 * An in-process counter in front of a {@link RateLimitStore}, for a stack
 * that serves HTTP from one process (the local stack): the store is written
 * once per key and window, not once per request.
 *
 * Semantics: windows are the store's fixed windows (aligned to multiples of
 * `windowMs` since the epoch). The first hit of a key in a window goes to the
 * store, which counts it and returns what every process counted so far; the
 * rest of that window is counted here, on top of that number. So one process
 * enforces the limit exactly, a restart within a window starts from the
 * stored count (at least one hit per process that served the key), and N
 * processes on one store each enforce it on their own hits, letting up to
 * about N x limit through. The deployed service shares the counter through
 * the store (DECISIONS 7) and does not use this class.
 *
 * @example
 * const rateLimits = new BufferedRateLimits(store.rateLimits, systemClock);
 * await rateLimits.hit('tenant:acme', 60_000); // { count, resetAt }
 */
export class BufferedRateLimits implements RateLimitStore {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly inner: RateLimitStore,
    private readonly clock: Clock,
  ) {}

  /**
   * @inheritdoc
   * @throws ValidationError (from the store) when `windowMs` < 1.
   */
  async hit(
    key: string,
    windowMs: number,
  ): Promise<{ count: number; resetAt: string }> {
    const size = Math.floor(windowMs);
    const now = this.clock.now();
    const start = size >= 1 ? Math.floor(now / size) * size : Number.NaN;
    const held = this.#windows.get(key);
    if (held !== undefined && held.size === size && held.start === start) {
      held.local += 1;
      return { count: held.base + held.local, resetAt: held.resetAt };
    }
    const stored = await this.inner.hit(key, windowMs);
    const current = this.#windows.get(key);
    if (
      current !== undefined &&
      current.size === size &&
      current.start === start
    ) {
      // A concurrent first hit of this window got here first: the store's
      // count covers every store hit, the local ones come on top.
      current.base = Math.max(current.base, stored.count);
      return { count: current.base + current.local, resetAt: current.resetAt };
    }
    this.#prune(now);
    this.#windows.set(key, {
      start,
      size,
      base: stored.count,
      local: 0,
      resetAt: stored.resetAt,
    });
    return stored;
  }

  #prune(now: number): void {
    if (this.#windows.size < PRUNE_ABOVE) return;
    for (const [key, window] of this.#windows) {
      if (window.start + window.size <= now) this.#windows.delete(key);
    }
  }
}
