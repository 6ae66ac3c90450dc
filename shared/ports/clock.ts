/** Source of the current time, injected so tests can move it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** The current time as an ISO-8601 UTC string. */
  nowIso(): string;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  nowIso: () => new Date().toISOString(),
};
