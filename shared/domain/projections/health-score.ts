import { roundHalfEven } from '../risk/rounding.js';

/** Health colours: green >= 70, yellow >= 40, else red (reference §7). */
export type HealthStatus = 'green' | 'yellow' | 'red';

/** The colour of a 0..100 health score. */
export function healthStatus(score: number): HealthStatus {
  if (score >= 70) return 'green';
  if (score >= 40) return 'yellow';
  return 'red';
}

/** Clamps to 0..100 and rounds to one decimal (half-even, as Python). */
export function healthScore(raw: number): number {
  return roundHalfEven(Math.min(100, Math.max(0, raw)), 1);
}

/** A rate rounded to 3 decimals (half-even). */
export function rate(part: number, total: number, empty: number): number {
  return roundHalfEven(total > 0 ? part / total : empty, 3);
}

/** One decimal, half-even. */
export function round1(value: number): number {
  return roundHalfEven(value, 1);
}
