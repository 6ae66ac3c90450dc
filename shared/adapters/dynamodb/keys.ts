import { ValidationError } from '../../domain/errors.js';
import { EVENT_TIME_SHARDS } from './table-schema.js';

/**
 * Key layout of the single table. Every key starts with an entity prefix so
 * partitions of different entities never meet, in the table or in an index.
 */

/** A base-table key. */
export interface TableKey {
  PK: string;
  SK: string;
  [attribute: string]: string;
}

const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Milliseconds of an ISO-8601 instant.
 * @throws ValidationError when it does not parse or leaves years 0000-9999.
 */
export function instantMs(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_INSTANT_MS) {
    throw new ValidationError(`Invalid ${field}: not an ISO-8601 instant`, [
      { path: field, message: 'not an ISO-8601 instant' },
    ]);
  }
  return ms;
}

/** An instant in the fixed-width `YYYY-MM-DDTHH:mm:ss.sssZ` form, sortable as text. */
export function sortableInstant(value: string, field: string): string {
  return new Date(instantMs(value, field)).toISOString();
}

/** The sortable instant of epoch milliseconds. */
export function isoOfMs(ms: number): string {
  return new Date(ms).toISOString();
}

const PRIORITY_OFFSET = 1_000_000_000_000;

/**
 * Zero-padded priority that sorts as text like the number (negatives too).
 * @throws ValidationError on a non-integer or out-of-range priority.
 */
export function sortablePriority(priority: number): string {
  if (
    !Number.isSafeInteger(priority) ||
    Math.abs(priority) >= PRIORITY_OFFSET
  ) {
    throw new ValidationError('Invalid priority: an integer is required', [
      { path: 'priority', message: 'an integer below 10^12 is required' },
    ]);
  }
  return String(priority + PRIORITY_OFFSET).padStart(13, '0');
}

/** The time-index shard of an event id (FNV-1a, stable across processes). */
export function eventShard(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % EVENT_TIME_SHARDS;
}

/** Partition values of every time-index shard of the events. */
export function eventTimePartitions(): string[] {
  return Array.from(
    { length: EVENT_TIME_SHARDS },
    (_, n) => `EVENT#SHARD#${n}`,
  );
}

const single = (prefix: string, id: string): TableKey => ({
  PK: `${prefix}#${id}`,
  SK: prefix,
});

/** Base-table keys of every entity. */
export const tableKeys = {
  event: (id: string) => single('EVENT', id),
  intent: (id: string) => single('INTENT', id),
  lock: (name: string) => single('LOCK', name),
  delivery: (id: string) => single('DELIVERY', id),
  apiKey: (keyHash: string) => single('APIKEY', keyHash),
  outbox: (id: string) => single('OUTBOX', id),
  riskPolicy: (tenantId: string) => ({
    PK: 'POLICY#RISK',
    SK: `TENANT#${tenantId}`,
  }),
  compliance: (tenantId: string) => ({
    PK: 'POLICY#COMPLIANCE',
    SK: `TENANT#${tenantId}`,
  }),
  /** Components are URI-encoded so an id holding `#` stays unambiguous. */
  agentPolicy: (agentId: string, tenantId: string) => ({
    PK: 'POLICY#AGENT',
    SK: `${agentPolicyPrefix(agentId)}${encodeURIComponent(tenantId)}`,
  }),
  rateWindow: (key: string, windowMs: number, startMs: number) => ({
    PK: `RATE#${key}`,
    SK: `WINDOW#${windowMs}#${startMs}`,
  }),
  ping: (): TableKey => ({ PK: 'PING', SK: 'PING' }),
} as const;

/** SK prefix of every agent policy of one agent. */
export function agentPolicyPrefix(agentId: string): string {
  return `AGENT#${encodeURIComponent(agentId)}#TENANT#`;
}
