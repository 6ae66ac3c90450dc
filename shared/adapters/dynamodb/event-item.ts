import type { ConvergeEvent, EventType } from '../../domain/event.js';
import type { JsonObject } from '../../domain/intent.js';
import type { Item } from './dynamodb-gateway.js';
import { eventShard, sortableInstant, tableKeys } from './keys.js';
import { INDEXES, type IndexSpec } from './table-schema.js';

/** Event fields with an equality index. */
export type EqualityField =
  | 'intentId'
  | 'traceId'
  | 'agentId'
  | 'tenantId'
  | 'type';

/** Equality filters, most selective first: the first present picks the index. */
export const EQUALITY: ReadonlyArray<{
  field: EqualityField;
  index: IndexSpec;
  prefix: string;
}> = [
  { field: 'intentId', index: INDEXES.intent, prefix: 'EVENT#INTENT#' },
  { field: 'traceId', index: INDEXES.trace, prefix: 'EVENT#TRACE#' },
  { field: 'agentId', index: INDEXES.agent, prefix: 'EVENT#AGENT#' },
  { field: 'tenantId', index: INDEXES.tenant, prefix: 'EVENT#TENANT#' },
  { field: 'type', index: INDEXES.type, prefix: 'EVENT#TYPE#' },
];

/** The stored item of an event: its fields, its key and its index keys. */
export function eventItem(event: ConvergeEvent): Item {
  const sk = `${sortableInstant(event.timestamp, 'timestamp')}#${event.id}`;
  const item: Item = { ...tableKeys.event(event.id), ...toEventFields(event) };
  for (const { field, index, prefix } of EQUALITY) {
    const value = event[field];
    if (value !== null && value !== '') {
      item[index.pk] = `${prefix}${value}`;
      item[index.sk] = sk;
    }
  }
  item[INDEXES.time.pk] = `EVENT#SHARD#${eventShard(event.id)}`;
  item[INDEXES.time.sk] = sk;
  return item;
}

const toEventFields = (event: ConvergeEvent): ConvergeEvent => ({
  id: event.id,
  traceId: event.traceId,
  timestamp: event.timestamp,
  type: event.type,
  intentId: event.intentId,
  agentId: event.agentId,
  tenantId: event.tenantId,
  payload: event.payload,
  evidence: event.evidence,
});

const nullableString = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

/** The event of a stored item. */
export function toEvent(item: Item): ConvergeEvent {
  return {
    id: String(item.id),
    traceId: String(item.traceId),
    timestamp: String(item.timestamp),
    type: String(item.type) as EventType,
    intentId: nullableString(item.intentId),
    agentId: nullableString(item.agentId),
    tenantId: nullableString(item.tenantId),
    payload: (item.payload ?? {}) as JsonObject,
    evidence: (item.evidence ?? {}) as JsonObject,
  };
}

/** The Put of an event that fails when its id exists. */
export function eventPut(event: ConvergeEvent): {
  Put: { Item: Item; ConditionExpression: string };
} {
  return {
    Put: {
      Item: eventItem(event),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}
