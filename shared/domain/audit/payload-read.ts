/**
 * Defensive readers of stored event payloads (JSON of any age or origin):
 * a field of the wrong type reads as absent instead of throwing.
 */
import type { JsonObject } from '../intent.js';

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested object, or `{}`. */
export function objectAt(payload: JsonObject, key: string): JsonObject {
  const value = payload[key];
  return isJsonObject(value) ? value : {};
}

/** A finite number, or null. */
export function numberAt(payload: JsonObject, key: string): number | null {
  const value = payload[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A string, or null. */
export function stringAt(payload: JsonObject, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' ? value : null;
}

/** A boolean, or null. */
export function booleanAt(payload: JsonObject, key: string): boolean | null {
  const value = payload[key];
  return typeof value === 'boolean' ? value : null;
}

/** The strings of an array (other items dropped), or `[]`. */
export function stringsAt(payload: JsonObject, key: string): string[] {
  const value = payload[key];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** The objects of an array (other items dropped), or `[]`. */
export function objectsAt(payload: JsonObject, key: string): JsonObject[] {
  const value = payload[key];
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}
