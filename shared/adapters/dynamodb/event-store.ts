import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { ConvergeEvent } from '../../domain/event.js';
import {
  COUNT_FILTERS,
  type CountFilter,
  type EventFilter,
  type EventStore,
  type Page,
} from '../../ports/store.js';
import { pageLimit } from './cursor.js';
import { isConditionFailure } from './dynamodb-errors.js';
import type { DynamoGateway } from './dynamodb-gateway.js';
import { EQUALITY, eventPut, toEvent } from './event-item.js';
import {
  eventTimePartitions,
  instantMs,
  isoOfMs,
  sortableInstant,
  type TableKey,
} from './keys.js';
import { runMergedQuery } from './merged-query.js';
import {
  countPartition,
  type FilterSpec,
  keyCondition,
  type SortKeyRange,
} from './query-input.js';
import { INDEXES, type IndexSpec } from './table-schema.js';

const DEFAULT_LIMIT = 200;

interface QueryPlan {
  index: IndexSpec;
  partitions: string[];
  filter: FilterSpec | undefined;
}

/** `#ty IN (:ty0, ...)` for a `types` filter, numbered after `terms`. */
function typesTerm(
  types: readonly string[],
  names: Record<string, string>,
  values: Record<string, unknown>,
): string {
  names['#ty'] = 'type';
  const placeholders = types.map((type, n) => {
    values[`:ty${n}`] = type;
    return `:ty${n}`;
  });
  return `#ty IN (${placeholders.join(', ')})`;
}

function planQuery(filter: EventFilter): QueryPlan {
  const present = EQUALITY.filter(({ field }) => filter[field] !== undefined);
  const [chosen, ...rest] = present;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const terms = rest.map(({ field }, n) => {
    names[`#f${n}`] = field;
    values[`:f${n}`] = filter[field];
    return `#f${n} = :f${n}`;
  });
  if (filter.types !== undefined && filter.types.length > 0) {
    terms.push(typesTerm(filter.types, names, values));
  }
  return {
    index: chosen === undefined ? INDEXES.time : chosen.index,
    partitions:
      chosen === undefined
        ? eventTimePartitions()
        : [`${chosen.prefix}${filter[chosen.field]}`],
    filter:
      terms.length === 0
        ? undefined
        : { expression: terms.join(' AND '), names, values },
  };
}

/** The sort-key range of `[since, until)`; 'empty' when nothing can match. */
function timeRange(filter: EventFilter): SortKeyRange | 'empty' | undefined {
  const since =
    filter.since === undefined
      ? undefined
      : sortableInstant(filter.since, 'since');
  if (filter.until === undefined) {
    return since === undefined ? undefined : { op: '>=', value: since };
  }
  const untilMs = instantMs(filter.until, 'until');
  if (since === undefined) return { op: '<', value: isoOfMs(untilMs) };
  if (Date.parse(since) >= untilMs) return 'empty';
  // `$` sorts right after `#`: the high bound covers every id of the last millisecond.
  return { op: 'between', low: since, high: `${isoOfMs(untilMs - 1)}$` };
}

function assertCountFilter(filter: Record<string, unknown>): void {
  const allowed: readonly string[] = COUNT_FILTERS;
  const unknown = Object.keys(filter).filter(
    (key) => filter[key] !== undefined && !allowed.includes(key),
  );
  if (unknown.length > 0) {
    throw new ValidationError(
      `Unsupported count filter: ${unknown.join(', ')}`,
      unknown.map((path) => ({
        path,
        message: `count filters are ${allowed.join(', ')}`,
      })),
    );
  }
}

/** The event log on DynamoDB: one item per event, one GSI per filter. */
export class DynamoEventStore implements EventStore {
  constructor(private readonly db: DynamoGateway) {}

  async append(event: ConvergeEvent): Promise<void> {
    try {
      await this.db.put(eventPut(event).Put);
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`Event ${event.id} already exists`);
      }
      throw error;
    }
  }

  async query(
    filter: EventFilter = {},
    page: { limit?: number; cursor?: string } = {},
  ): Promise<Page<ConvergeEvent>> {
    const limit = pageLimit(page.limit, DEFAULT_LIMIT);
    const range = timeRange(filter);
    if (range === 'empty' || filter.types?.length === 0) return { items: [] };
    const plan = planQuery(filter);
    const result = await runMergedQuery(this.db, {
      ...plan,
      range,
      order: 'desc',
      limit,
      cursor: page.cursor,
    });
    const items = result.items.map(toEvent);
    return result.cursor === undefined
      ? { items }
      : { items, cursor: result.cursor };
  }

  async latest(filter: EventFilter = {}): Promise<ConvergeEvent | undefined> {
    return (await this.query(filter, { limit: 1 })).items[0];
  }

  async count(filter: CountFilter = {}): Promise<number> {
    assertCountFilter(filter as Record<string, unknown>);
    const plan = planQuery(filter);
    const counts = await Promise.all(
      plan.partitions.map((pk) =>
        countPartition(this.db, { index: plan.index, filter: plan.filter }, pk),
      ),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async prune(input: { before: string; dryRun?: boolean }): Promise<number> {
    const range: SortKeyRange = {
      op: '<',
      value: sortableInstant(input.before, 'before'),
    };
    const index = INDEXES.time;
    let total = 0;
    for (const pk of eventTimePartitions()) {
      if (input.dryRun === true) {
        total += await countPartition(this.db, { index, range }, pk);
      } else {
        total += await this.deletePartition(pk, range);
      }
    }
    return total;
  }

  private async deletePartition(
    pk: string,
    range: SortKeyRange,
  ): Promise<number> {
    const condition = keyCondition(INDEXES.time, pk, range);
    let deleted = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.query({
        IndexName: INDEXES.time.name,
        ...condition,
        ExpressionAttributeNames: {
          ...condition.ExpressionAttributeNames,
          '#bpk': 'PK',
          '#bsk': 'SK',
        },
        ProjectionExpression: '#bpk, #bsk',
        ExclusiveStartKey: start,
      });
      const keys = (out.Items ?? []).map(
        (item): TableKey => ({ PK: String(item.PK), SK: String(item.SK) }),
      );
      await this.db.batchDelete(keys);
      deleted += keys.length;
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return deleted;
  }
}
