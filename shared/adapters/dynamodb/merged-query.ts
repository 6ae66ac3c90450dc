import { ValidationError } from '../../domain/errors.js';
import type { Page } from '../../ports/store.js';
import {
  decodeCursor,
  encodeCursor,
  type PartitionPosition,
} from './cursor.js';
import type { DynamoGateway, Item } from './dynamodb-gateway.js';
import {
  type IndexQuery,
  indexKeyAttributes,
  partitionQuery,
} from './query-input.js';

/** A query over one or more partitions of one GSI, merged in sort-key order. */
export interface MergedQuery extends IndexQuery {
  partitions: string[];
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string | undefined;
}

interface PartitionState {
  pk: string;
  position: PartitionPosition;
  next: Record<string, unknown> | undefined;
  buffer: Item[];
  exhausted: boolean;
  lastTaken: Record<string, string> | undefined;
}

const MAX_PAGE = 1000;

const invalidCursor = (): ValidationError =>
  new ValidationError('Invalid cursor', [
    { path: 'cursor', message: 'not a cursor returned by this query' },
  ]);

/** True when a resume key lies in this partition and in the key range. */
function resumesHere(
  query: MergedQuery,
  pk: string,
  position: Record<string, string>,
): boolean {
  const sk = position[query.index.sk];
  const range = query.range;
  if (position[query.index.pk] !== pk || sk === undefined) return false;
  if (range === undefined) return true;
  if (range.op === '>=') return sk >= range.value;
  if (range.op === '<') return sk < range.value;
  return sk >= range.low && sk <= range.high;
}

function initialStates(query: MergedQuery): PartitionState[] {
  const attrs = indexKeyAttributes(query.index);
  const positions =
    query.cursor === undefined
      ? query.partitions.map((): PartitionPosition => 'start')
      : decodeCursor(
          query.cursor,
          query.index.name,
          query.partitions.length,
          attrs,
        );
  return query.partitions.map((pk, n) => {
    const position = positions[n] ?? 'start';
    if (typeof position === 'object' && !resumesHere(query, pk, position)) {
      throw invalidCursor();
    }
    return {
      pk,
      position,
      next: typeof position === 'object' ? position : undefined,
      buffer: [],
      exhausted: position === 'done',
      lastTaken: undefined,
    };
  });
}

async function fill(
  db: DynamoGateway,
  query: MergedQuery,
  state: PartitionState,
): Promise<void> {
  while (state.buffer.length === 0 && !state.exhausted) {
    const input = {
      ...partitionQuery(query, state.pk),
      ScanIndexForward: query.order === 'asc',
      Limit: Math.min(MAX_PAGE, query.limit + 1),
      ExclusiveStartKey: state.next,
    };
    const out = await db.query(input).catch((error: unknown) => {
      const name = (error as { name?: unknown } | null)?.name;
      if (state.next !== undefined && name === 'ValidationException') {
        throw invalidCursor();
      }
      throw error;
    });
    state.buffer = out.Items ?? [];
    state.next = out.LastEvaluatedKey;
    state.exhausted = state.next === undefined;
  }
}

const sortKeyOf = (query: MergedQuery, item: Item): string =>
  String(item[query.index.sk]);

function pickBest(
  query: MergedQuery,
  states: PartitionState[],
): PartitionState | undefined {
  let best: PartitionState | undefined;
  for (const state of states) {
    const head = state.buffer[0];
    if (head === undefined) continue;
    const bestHead = best?.buffer[0];
    const better =
      bestHead === undefined ||
      (query.order === 'asc'
        ? sortKeyOf(query, head) < sortKeyOf(query, bestHead)
        : sortKeyOf(query, head) > sortKeyOf(query, bestHead));
    if (better) best = state;
  }
  return best;
}

const keyOf = (query: MergedQuery, item: Item): Record<string, string> =>
  Object.fromEntries(
    indexKeyAttributes(query.index).map((attr) => [attr, String(item[attr])]),
  );

/**
 * The page's last item as a resume position in partition `pk`: a partition
 * nothing was taken from resumes past the page, not at its start, so an
 * item written there after the page was read (newer, in a descending read)
 * does not show up on the next page.
 */
function boundaryIn(
  query: MergedQuery,
  pk: string,
  boundary: Item,
): Record<string, string> {
  return { ...keyOf(query, boundary), [query.index.pk]: pk };
}

/**
 * Runs `query` over its partitions and merges them in sort-key order, reading
 * one item past the page to know whether a next page exists. The cursor keeps
 * one resume position per partition, so pages never repeat or skip an item.
 * @throws ValidationError on a malformed or foreign cursor.
 */
export async function runMergedQuery(
  db: DynamoGateway,
  query: MergedQuery,
): Promise<Page<Item>> {
  const states = initialStates(query);
  const taken: Array<{ item: Item; state: PartitionState }> = [];
  while (taken.length <= query.limit) {
    await Promise.all(states.map((state) => fill(db, query, state)));
    const best = pickBest(query, states);
    const item = best?.buffer.shift();
    if (best === undefined || item === undefined) break;
    taken.push({ item, state: best });
  }
  const page = taken.slice(0, query.limit);
  for (const { item, state } of page) state.lastTaken = keyOf(query, item);
  const peek = taken[query.limit];
  if (peek === undefined) return { items: page.map((entry) => entry.item) };
  const boundary = page[page.length - 1]?.item;
  const positions = states.map((state): PartitionPosition => {
    const remaining = state.buffer.length > 0 || peek.state === state;
    if (state.exhausted && !remaining) return 'done';
    if (state.lastTaken !== undefined) return state.lastTaken;
    return state.position === 'start' && boundary !== undefined
      ? boundaryIn(query, state.pk, boundary)
      : state.position;
  });
  return {
    items: page.map((entry) => entry.item),
    cursor: encodeCursor({ index: query.index.name, positions }),
  };
}
