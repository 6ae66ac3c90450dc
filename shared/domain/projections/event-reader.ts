import type { Clock } from '../../ports/clock.js';
import type { EventFilter, Store } from '../../ports/store.js';
import type { ConvergeEvent, IdSource } from '../event.js';

/** Most events one projection reads (reference §7: queries capped at 10k). */
export const READ_CAP = 10_000;

/** The largest page the store serves; bigger reads page on with the cursor. */
const PAGE_SIZE = 1000;

const HOUR_MS = 3_600_000;

/** What a read projection needs: the store and the time. Reads never write. */
export interface ReadDeps {
  store: Store;
  clock: Clock;
}

/** What a governance write needs on top: ids for the events it appends. */
export interface WriteDeps extends ReadDeps {
  ids: IdSource;
}

/** The tenant part of a filter: nothing for null (every tenant). */
export function tenantScope(tenantId: string | null): { tenantId?: string } {
  return tenantId === null ? {} : { tenantId };
}

/**
 * Matching events, newest first, paging through `events.query` until the
 * log runs out or `cap` events were read.
 * @example
 * const sims = await readEvents(store, { type: 'simulation.completed' });
 */
export async function readEvents(
  store: Store,
  filter: EventFilter,
  cap: number = READ_CAP,
): Promise<ConvergeEvent[]> {
  const found: ConvergeEvent[] = [];
  let cursor: string | undefined;
  do {
    const limit = Math.min(PAGE_SIZE, cap - found.length);
    const page = await store.events.query(
      filter,
      cursor === undefined ? { limit } : { limit, cursor },
    );
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && found.length < cap);
  return found;
}

/** The newest matching event, or null. */
export async function latestEvent(
  store: Store,
  filter: EventFilter,
): Promise<ConvergeEvent | null> {
  const page = await store.events.query(filter, { limit: 1 });
  return page.items[0] ?? null;
}

/** The ISO instant `hours` before now. */
export function hoursAgo(clock: Clock, hours: number): string {
  return new Date(clock.now() - hours * HOUR_MS).toISOString();
}

/** The ISO instant `days` before now. */
export function daysAgo(clock: Clock, days: number): string {
  return hoursAgo(clock, days * 24);
}

/** The newest `limit` matching events (one page; limit at most 1000). */
export async function recentEvents(
  store: Store,
  filter: EventFilter,
  limit: number,
): Promise<ConvergeEvent[]> {
  return (await store.events.query(filter, { limit })).items;
}
