import { ValidationError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/intent.js';
import type { Clock } from '../../ports/clock.js';

/** A JSON column value as stored: text. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value);
}

/** Reads a JSON object column. */
export function parseJsonObject(text: string): JsonObject {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

/** Reads a JSON string-array column. */
export function parseStringArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/**
 * Milliseconds since the epoch of an ISO-8601 instant.
 * @throws ValidationError when `iso` does not parse.
 */
export function isoToMs(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    throw new ValidationError(`${field} is not an ISO-8601 instant`, [
      { path: field, message: 'expected an ISO-8601 instant' },
    ]);
  }
  return ms;
}

/**
 * Reads `clock` once and returns the instant in both forms, so a stored ISO
 * text and the milliseconds it is compared by never disagree.
 */
export function readClock(clock: Clock): { ms: number; iso: string } {
  const iso = clock.nowIso();
  return { ms: isoToMs(iso, 'clock'), iso };
}

/** The ISO-8601 UTC string of an instant in milliseconds. */
export function msToIso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Checks a duration argument (TTL, window, grace).
 * @throws ValidationError unless a finite number >= `min`.
 */
export function checkDuration(value: number, field: string, min = 1): number {
  if (!Number.isFinite(value) || value < min) {
    throw new ValidationError(`${field} must be a number >= ${min}`, [
      { path: field, message: `expected a number >= ${min}` },
    ]);
  }
  return value;
}
