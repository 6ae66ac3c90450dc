import type { JsonObject } from '../intent.js';

/**
 * Readers of event payload fields. Payloads are JSON written by other
 * versions of the code, so every read tolerates a missing or mistyped field.
 */

/** A finite number at `key`, else `fallback`. */
export function numberField(
  payload: JsonObject,
  key: string,
  fallback = 0,
): number {
  const value = payload[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A string at `key`, else null. */
export function stringField(payload: JsonObject, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' ? value : null;
}

/** The strings of an array at `key` (non-strings dropped). */
export function stringList(payload: JsonObject, key: string): string[] {
  const value = payload[key];
  return Array.isArray(value)
    ? value.filter((x): x is string => typeof x === 'string')
    : [];
}

/** The plain object at `key`, else an empty object. */
export function objectField(payload: JsonObject, key: string): JsonObject {
  const value = payload[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

/** The plain objects of an array at `key`. */
export function objectList(payload: JsonObject, key: string): JsonObject[] {
  const value = payload[key];
  if (!Array.isArray(value)) return [];
  return value.filter(
    (x): x is JsonObject =>
      typeof x === 'object' && x !== null && !Array.isArray(x),
  );
}

/** True only when a `simulation.completed` payload says `mergeable: true`. */
export function isMergeable(payload: JsonObject): boolean {
  return payload.mergeable === true;
}

/** The arithmetic mean; 0 for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
