import type { EventFilter, Store } from '../../ports/store.js';
import type { ConvergeEvent } from '../event.js';

/** The largest page the store serves; longer reads follow the cursor. */
const PAGE_SIZE = 1000;

/** The key of a tenant's audit scope; `*` is the whole log. */
export function scopeKey(tenantId: string | null): string {
  return tenantId ?? '*';
}

/** The event filter of a scope: one tenant, or nothing (every event). */
export function scopeFilter(tenantId: string | null): EventFilter {
  return tenantId === null ? {} : { tenantId };
}

/**
 * Every matching event, newest first, following the cursor to the end. The
 * audit needs the whole scope, so there is no cap: memory grows with the
 * log (about 1 KB per event).
 */
export async function readAllEvents(
  store: Store,
  filter: EventFilter,
): Promise<ConvergeEvent[]> {
  const found: ConvergeEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.events.query(
      filter,
      cursor === undefined
        ? { limit: PAGE_SIZE }
        : { limit: PAGE_SIZE, cursor },
    );
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return found;
}

/**
 * The log order, oldest first: by instant, then by id (the store's order,
 * reversed). Sorting here keeps the chain independent of the adapter.
 */
export function oldestFirst(events: readonly ConvergeEvent[]): ConvergeEvent[] {
  const keyed = events.map((event) => ({
    event,
    ms: Date.parse(event.timestamp),
  }));
  keyed.sort((x, y) => {
    if (x.ms !== y.ms) return x.ms - y.ms;
    if (x.event.id === y.event.id) return 0;
    return x.event.id < y.event.id ? -1 : 1;
  });
  return keyed.map((k) => k.event);
}

/** The first page of `findNewestEvent`: usually the newest event is it. */
const FIRST_PAGE = 2;
const NEXT_PAGES = 100;

/**
 * The newest matching event that `accept` takes, paging on until one is
 * found or the log runs out; null when none. The first page is tiny, since
 * the newest match is nearly always accepted (a chain link, a record).
 */
export async function findNewestEvent(
  store: Store,
  filter: EventFilter,
  accept: (event: ConvergeEvent) => boolean,
): Promise<ConvergeEvent | null> {
  let cursor: string | undefined;
  do {
    const page = await store.events.query(
      filter,
      cursor === undefined
        ? { limit: FIRST_PAGE }
        : { limit: NEXT_PAGES, cursor },
    );
    const found = page.items.find(accept);
    if (found) return found;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return null;
}

/** True when `a` comes before `b` in the log order (instant, then id). */
export function isBefore(a: ConvergeEvent, b: ConvergeEvent): boolean {
  const [ma, mb] = [Date.parse(a.timestamp), Date.parse(b.timestamp)];
  return ma !== mb ? ma < mb : a.id < b.id;
}
