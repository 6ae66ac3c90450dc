import type { DynamoGateway } from './dynamodb-gateway.js';
import { type IndexSpec, PARTITION_KEY, SORT_KEY } from './table-schema.js';

/** A condition on the index sort key. */
export type SortKeyRange =
  | { op: '>='; value: string }
  | { op: '<'; value: string }
  | { op: 'between'; low: string; high: string };

/** A FilterExpression with its own placeholders (`#f…`, `:f…`). */
export interface FilterSpec {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/** The GSI query shape shared by paged reads and counts. */
export interface IndexQuery {
  index: IndexSpec;
  range?: SortKeyRange | undefined;
  filter?: FilterSpec | undefined;
}

/** Key attributes of an item on `index` (what LastEvaluatedKey holds). */
export function indexKeyAttributes(index: IndexSpec): string[] {
  return [PARTITION_KEY, SORT_KEY, index.pk, index.sk];
}

/** The key condition of one partition and range, with its placeholders. */
export function keyCondition(
  index: IndexSpec,
  pk: string,
  range: SortKeyRange | undefined,
): Pick<
  Parameters<DynamoGateway['query']>[0],
  | 'KeyConditionExpression'
  | 'ExpressionAttributeNames'
  | 'ExpressionAttributeValues'
> {
  const names: Record<string, string> = { '#kpk': index.pk };
  const values: Record<string, unknown> = { ':kpk': pk };
  let expression = '#kpk = :kpk';
  if (range !== undefined) {
    names['#ksk'] = index.sk;
    if (range.op === 'between') {
      values[':klo'] = range.low;
      values[':khi'] = range.high;
      expression += ' AND #ksk BETWEEN :klo AND :khi';
    } else {
      values[':ksk'] = range.value;
      expression += ` AND #ksk ${range.op} :ksk`;
    }
  }
  return {
    KeyConditionExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The Query input of one partition, without the start key. */
export function partitionQuery(
  query: IndexQuery,
  pk: string,
): Parameters<DynamoGateway['query']>[0] {
  const key = keyCondition(query.index, pk, query.range);
  const filter = query.filter;
  if (filter === undefined) return { IndexName: query.index.name, ...key };
  return {
    IndexName: query.index.name,
    ...key,
    FilterExpression: filter.expression,
    ExpressionAttributeNames: {
      ...key.ExpressionAttributeNames,
      ...filter.names,
    },
    ExpressionAttributeValues: {
      ...key.ExpressionAttributeValues,
      ...filter.values,
    },
  };
}

/** Counts the items of one partition (Select COUNT, paging until done). */
export async function countPartition(
  db: DynamoGateway,
  query: IndexQuery,
  pk: string,
): Promise<number> {
  let total = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.query({
      ...partitionQuery(query, pk),
      Select: 'COUNT',
      ExclusiveStartKey: start,
    });
    total += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return total;
}
