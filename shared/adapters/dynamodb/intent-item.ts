import type {
  Intent,
  IntentPatch,
  IntentStatus,
  JsonObject,
  OriginType,
  RiskLevel,
} from '../../domain/intent.js';
import { INTENT_STATUSES } from '../../domain/intent.js';
import type { IntentFilter } from '../../ports/store.js';
import type { Item } from './dynamodb-gateway.js';
import { sortableInstant, sortablePriority, tableKeys } from './keys.js';
import type { FilterSpec } from './query-input.js';
import { INDEXES, type IndexSpec } from './table-schema.js';

/** The fields an `IntentPatch` may carry; anything else is ignored. */
const PATCH_FIELDS = [
  'source',
  'target',
  'riskLevel',
  'priority',
  'semantic',
  'technical',
  'checksRequired',
  'dependencies',
  'retries',
  'planId',
] as const satisfies ReadonlyArray<keyof IntentPatch>;

/** `intent` with the defined fields of `patch` applied. */
export function applyPatch(
  intent: Intent,
  patch: IntentPatch | undefined,
): Intent {
  const next: Intent = { ...intent };
  if (patch === undefined) return next;
  const target = next as unknown as Record<string, unknown>;
  for (const field of PATCH_FIELDS) {
    const value = patch[field];
    if (value !== undefined) target[field] = value;
  }
  return next;
}

/** Sort key of the intent indexes: priority asc, createdAt asc, id asc. */
function orderKey(intent: Intent): string {
  return [
    sortablePriority(intent.priority),
    sortableInstant(intent.createdAt, 'createdAt'),
    intent.id,
  ].join('#');
}

/** The stored item of an intent, with its status and tenant index keys. */
export function intentItem(intent: Intent): Item {
  const order = orderKey(intent);
  const item: Item = {
    ...tableKeys.intent(intent.id),
    ...intent,
    [INDEXES.intentStatus.pk]: `INTENT#STATUS#${intent.status}`,
    [INDEXES.intentStatus.sk]: order,
  };
  if (intent.tenantId !== null && intent.tenantId !== '') {
    item[INDEXES.intentTenant.pk] = `INTENT#TENANT#${intent.tenantId}`;
    item[INDEXES.intentTenant.sk] = order;
  }
  return item;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : [];

const nullableString = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

/** The intent of a stored item. */
export function toIntent(item: Item): Intent {
  return {
    id: String(item.id),
    source: String(item.source),
    target: String(item.target),
    status: String(item.status) as IntentStatus,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    createdBy: String(item.createdBy),
    riskLevel: String(item.riskLevel) as RiskLevel,
    priority: Number(item.priority),
    semantic: (item.semantic ?? {}) as JsonObject,
    technical: (item.technical ?? {}) as JsonObject,
    checksRequired: strings(item.checksRequired),
    dependencies: strings(item.dependencies),
    retries: Number(item.retries ?? 0),
    tenantId: nullableString(item.tenantId),
    planId: nullableString(item.planId),
    originType: String(item.originType) as OriginType,
    version: Number(item.version),
  };
}

/** Which index, partitions and filter serve an `intents.list` filter. */
export function planIntentList(filter: IntentFilter): {
  index: IndexSpec;
  partitions: string[];
  filter: FilterSpec | undefined;
} {
  if (filter.tenantId !== undefined) {
    return {
      index: INDEXES.intentTenant,
      partitions: [`INTENT#TENANT#${filter.tenantId}`],
      filter:
        filter.status === undefined
          ? undefined
          : {
              expression: '#fstatus = :fstatus',
              names: { '#fstatus': 'status' },
              values: { ':fstatus': filter.status },
            },
    };
  }
  const statuses: readonly IntentStatus[] =
    filter.status === undefined ? INTENT_STATUSES : [filter.status];
  return {
    index: INDEXES.intentStatus,
    partitions: statuses.map((status) => `INTENT#STATUS#${status}`),
    filter: undefined,
  };
}
