import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../../shared/domain/errors.js';
import type { ConvergeEvent } from '../../shared/domain/event.js';
import type { Intent, IntentPatch } from '../../shared/domain/intent.js';
import type {
  ApiKeyRecord,
  CountFilter,
  OutboxInput,
  Page,
  Store,
} from '../../shared/ports/store.js';
import { anEvent, anIntent } from '../support/fixtures.js';
import type { TestClock } from '../support/test-clock.js';

/** What each adapter's test file hands the suite: a fresh, empty store. */
export interface StoreContext {
  store: Store;
  clock: TestClock;
  close(): Promise<void>;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

/** Follows cursors until a page has none; fails on a runaway loop. */
async function collectPages<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 50,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    pages.push(page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && pages.length < maxPages);
  expect(cursor).toBeUndefined();
  return pages;
}

/** `{ limit, cursor? }` without an explicit undefined cursor. */
function pageOf(limit: number, cursor: string | undefined) {
  return cursor === undefined ? { limit } : { limit, cursor };
}

function ids(items: readonly { id: string }[]): string[] {
  return items.map((item) => item.id);
}

function anOutbox(overrides: Partial<OutboxInput> = {}): OutboxInput {
  return {
    id: 'outbox-1',
    kind: 'github.check_run',
    payload: { conclusion: 'success', nested: { n: 1 } },
    tenantId: 't1',
    ...overrides,
  };
}

/**
 * The store contract (HOUSE_STYLE §7.11): one suite that every adapter
 * passes, black-box through the {@link Store} port only. `open` must return a
 * fresh, empty store per call, driven by the returned {@link TestClock}.
 */
export function describeStoreContract(
  name: string,
  open: () => Promise<StoreContext>,
): void {
  describe(`Store contract: ${name}`, () => {
    let ctx: StoreContext;
    let store: Store;
    let clock: TestClock;

    beforeEach(async () => {
      ctx = await open();
      store = ctx.store;
      clock = ctx.clock;
    });

    afterEach(async () => {
      await ctx.close();
    });

    /** The ISO instant `offsetMs` from the clock's current time. */
    function at(offsetMs: number): string {
      return new Date(clock.now() + offsetMs).toISOString();
    }

    function aKey(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
      const keyHash = overrides.keyHash ?? 'a'.repeat(64);
      return {
        keyHash,
        keyId: keyHash.slice(0, 12),
        actor: 'alice',
        role: 'operator',
        tenantId: 't1',
        scopes: ['intents.read', 'risk.*'],
        createdAt: at(0),
        expiresAt: null,
        revokedAt: null,
        ...overrides,
      };
    }

    async function appendAll(events: ConvergeEvent[]): Promise<void> {
      for (const event of events) await store.events.append(event);
    }

    /** Events of `[type, intentId]`, one second apart, oldest first. */
    function timeline(
      ...specs: Array<[ConvergeEvent['type'], string]>
    ): ConvergeEvent[] {
      return specs.map(([type, intentId], n) =>
        anEvent({ type, intentId, timestamp: at((n + 1) * SECOND) }),
      );
    }

    /** Asserts `intent` is exactly as stored before a failed write. */
    async function expectNothingWritten(
      intent: Intent,
      outboxId = 'outbox-1',
    ): Promise<void> {
      expect(await store.intents.get(intent.id)).toEqual(intent);
      expect(await store.events.count({ intentId: intent.id })).toBe(0);
      expect(await store.outbox.get(outboxId)).toBeNull();
      expect(await store.outbox.pending()).toEqual([]);
    }

    describe('events', () => {
      it('appends an event and reads it back unchanged', async () => {
        // Prepare
        const event = anEvent({
          intentId: 'o/r:pr-1',
          agentId: 'agent-7',
          tenantId: 't1',
          timestamp: at(0),
          payload: { decision: 'validated', nested: { list: [1, 'two'] } },
          evidence: { signals: { entropy: 0.5 } },
        });

        // Act
        await store.events.append(event);
        const page = await store.events.query();

        // Assess
        expect(page.items).toEqual([event]);
        expect(page.cursor).toBeUndefined();
      });

      it('rejects a duplicate event id with ConflictError', async () => {
        const event = anEvent({ timestamp: at(0) });
        await store.events.append(event);

        await expect(
          store.events.append({ ...event, payload: { other: true } }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await store.events.query()).items).toEqual([event]);
      });

      it('filters by type, intentId, agentId, tenantId and traceId', async () => {
        const a = anEvent({
          type: 'intent.created',
          intentId: 'i-1',
          agentId: 'ag-1',
          tenantId: 't1',
          traceId: 'trace-a',
          timestamp: at(1),
        });
        const b = anEvent({
          type: 'intent.validated',
          intentId: 'i-1',
          agentId: 'ag-2',
          tenantId: 't2',
          traceId: 'trace-b',
          timestamp: at(2),
        });
        const c = anEvent({
          type: 'intent.validated',
          intentId: 'i-2',
          agentId: null,
          tenantId: 't1',
          traceId: 'trace-a',
          timestamp: at(3),
        });
        await appendAll([a, b, c]);
        const query = async (
          filter: Parameters<typeof store.events.query>[0],
        ) => ids((await store.events.query(filter)).items);

        expect(await query({ type: 'intent.validated' })).toEqual([c.id, b.id]);
        expect(await query({ intentId: 'i-1' })).toEqual([b.id, a.id]);
        expect(await query({ agentId: 'ag-2' })).toEqual([b.id]);
        expect(await query({ tenantId: 't1' })).toEqual([c.id, a.id]);
        expect(await query({ traceId: 'trace-a' })).toEqual([c.id, a.id]);
        expect(await query({ type: 'risk.evaluated' })).toEqual([]);
      });

      it('filters by any of several types, alone and with an intent, paging by limit', async () => {
        const types = ['intent.validated', 'intent.blocked'] as const;
        const events = timeline(
          ['intent.created', 'i-1'],
          ['intent.blocked', 'i-1'],
          ['intent.validated', 'i-2'],
          ['intent.validated', 'i-1'],
          ['risk.evaluated', 'i-1'],
          ['risk.evaluated', 'i-1'],
        );
        await appendAll(events);
        const [, blocked, other, validated] = ids(events);

        expect(ids((await store.events.query({ types })).items)).toEqual([
          validated,
          other,
          blocked,
        ]);
        const first = await store.events.query(
          { intentId: 'i-1', types },
          { limit: 1 },
        );
        expect(ids(first.items)).toEqual([validated]);
        const rest = await store.events.query(
          { intentId: 'i-1', types },
          { limit: 1, cursor: first.cursor ?? 'missing' },
        );
        expect(ids(rest.items)).toEqual([blocked]);
        expect(
          (await store.events.query({ intentId: 'i-1', types: [] })).items,
        ).toEqual([]);
      });

      it('gives the newest matching event, or none', async () => {
        const events = timeline(
          ['intent.created', 'i-1'],
          ['intent.blocked', 'i-1'],
          ['risk.evaluated', 'i-1'],
          ['intent.blocked', 'i-2'],
        );
        await appendAll(events);
        const types = ['intent.created', 'intent.blocked'] as const;

        expect((await store.events.latest())?.id).toBe(events[3]?.id);
        expect((await store.events.latest({ intentId: 'i-1' }))?.id).toBe(
          events[2]?.id,
        );
        expect(
          (await store.events.latest({ intentId: 'i-1', types }))?.id,
        ).toBe(events[1]?.id);
        expect(await store.events.latest({ intentId: 'i-9' })).toBeUndefined();
        expect(
          await store.events.latest({ intentId: 'i-1', types: [] }),
        ).toBeUndefined();
      });

      it('filters by since (inclusive) and until (exclusive)', async () => {
        const events = [0, 1, 2, 3].map((n) =>
          anEvent({ timestamp: at(n * MINUTE) }),
        );
        await appendAll(events);
        const [e0, e1, e2, e3] = ids(events);
        const query = async (
          filter: Parameters<typeof store.events.query>[0],
        ) => ids((await store.events.query(filter)).items);

        expect(await query({ since: at(MINUTE) })).toEqual([e3, e2, e1]);
        expect(await query({ until: at(2 * MINUTE) })).toEqual([e1, e0]);
        expect(
          await query({ since: at(MINUTE), until: at(3 * MINUTE) }),
        ).toEqual([e2, e1]);
        expect(await query({ since: at(4 * MINUTE) })).toEqual([]);
      });

      it('combines filters with AND', async () => {
        const match = anEvent({
          type: 'intent.merged',
          intentId: 'i-1',
          tenantId: 't1',
          timestamp: at(2 * MINUTE),
        });
        await appendAll([
          match,
          anEvent({
            type: 'intent.merged',
            intentId: 'i-1',
            tenantId: 't2',
            timestamp: at(2 * MINUTE),
          }),
          anEvent({
            type: 'intent.created',
            intentId: 'i-1',
            tenantId: 't1',
            timestamp: at(2 * MINUTE),
          }),
          anEvent({
            type: 'intent.merged',
            intentId: 'i-1',
            tenantId: 't1',
            timestamp: at(-MINUTE),
          }),
        ]);

        const page = await store.events.query({
          type: 'intent.merged',
          intentId: 'i-1',
          tenantId: 't1',
          since: at(MINUTE),
        });

        expect(ids(page.items)).toEqual([match.id]);
      });

      it('orders newest first, equal timestamps by id descending', async () => {
        const old = anEvent({ id: 'e-zzz', timestamp: at(0) });
        const tieA = anEvent({ id: 'e-aaa', timestamp: at(SECOND) });
        const tieC = anEvent({ id: 'e-ccc', timestamp: at(SECOND) });
        const tieB = anEvent({ id: 'e-bbb', timestamp: at(SECOND) });
        const newest = anEvent({ id: 'e-000', timestamp: at(2 * SECOND) });
        await appendAll([tieA, old, newest, tieC, tieB]);

        const page = await store.events.query();

        expect(ids(page.items)).toEqual([
          'e-000',
          'e-ccc',
          'e-bbb',
          'e-aaa',
          'e-zzz',
        ]);
      });

      it('returns at most 200 events by default, with a cursor to the rest', async () => {
        const events = Array.from({ length: 201 }, (_, n) =>
          anEvent({ timestamp: at(n * SECOND) }),
        );
        await Promise.all(events.map((event) => store.events.append(event)));

        const first = await store.events.query();
        const second = await store.events.query({}, pageOf(200, first.cursor));

        expect(first.items).toHaveLength(200);
        expect(first.cursor).toEqual(expect.any(String));
        expect(first.items[0]?.id).toBe(events[200]?.id);
        expect(ids(second.items)).toEqual([events[0]?.id]);
        expect(second.cursor).toBeUndefined();
      });

      it('pages with an opaque cursor without duplicates or gaps', async () => {
        const events = [0, 1, 1, 1, 2, 3, 3].map((n) =>
          anEvent({ timestamp: at(n * SECOND) }),
        );
        await appendAll(events);
        const all = ids((await store.events.query()).items);

        const pages = await collectPages((cursor) =>
          store.events.query({}, pageOf(3, cursor)),
        );

        expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
        expect(pages.flat().map((event) => event.id)).toEqual(all);
        expect(new Set(all).size).toBe(7);
      });

      it('pages a filtered query', async () => {
        const mine = [0, 1, 2, 3, 4].map((n) =>
          anEvent({ intentId: 'i-1', timestamp: at(n * SECOND) }),
        );
        const others = [0, 1, 2, 3].map((n) =>
          anEvent({ intentId: 'i-2', timestamp: at(n * SECOND) }),
        );
        await appendAll([...mine, ...others]);

        const pages = await collectPages((cursor) =>
          store.events.query({ intentId: 'i-1' }, pageOf(2, cursor)),
        );

        expect(pages.flat().map((event) => event.id)).toEqual(
          ids(mine).reverse(),
        );
      });

      it('keeps paging stable when newer events arrive between pages', async () => {
        const events = [0, 1, 2, 3].map((n) =>
          anEvent({ timestamp: at(n * SECOND) }),
        );
        await appendAll(events);

        const first = await store.events.query({}, { limit: 2 });
        await store.events.append(anEvent({ timestamp: at(10 * SECOND) }));
        const second = await store.events.query({}, pageOf(2, first.cursor));

        expect(ids(first.items)).toEqual([events[3]?.id, events[2]?.id]);
        expect(ids(second.items)).toEqual([events[1]?.id, events[0]?.id]);
      });

      it('pages past events written after the first page, however they are stored', async () => {
        const old = Array.from({ length: 8 }, (_, n) =>
          anEvent({ timestamp: at(n * SECOND) }),
        );
        await appendAll(old);
        const first = await store.events.query({}, { limit: 1 });
        await appendAll(
          Array.from({ length: 20 }, (_, n) =>
            anEvent({ timestamp: at((100 + n) * SECOND) }),
          ),
        );
        const rest = await store.events.query({}, pageOf(50, first.cursor));

        expect(ids(first.items)).toEqual([old[7]?.id]);
        expect(ids(rest.items)).toEqual(ids(old.slice(0, 7)).reverse());
      });

      it('rejects an invalid cursor with ValidationError', async () => {
        await appendAll([anEvent({ timestamp: at(0) })]);
        const foreign = Buffer.from('{"x":1}').toString('base64url');

        await expect(
          store.events.query({}, { cursor: 'not a cursor!' }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(
          store.events.query({}, { cursor: foreign }),
        ).rejects.toBeInstanceOf(ValidationError);
      });

      it('counts all events and by each allowed filter', async () => {
        await appendAll([
          anEvent({
            type: 'intent.created',
            intentId: 'i-1',
            agentId: 'ag-1',
            tenantId: 't1',
            traceId: 'trace-a',
          }),
          anEvent({
            type: 'intent.validated',
            intentId: 'i-1',
            agentId: 'ag-1',
            tenantId: 't2',
            traceId: 'trace-a',
          }),
          anEvent({ type: 'intent.validated', intentId: 'i-2' }),
        ]);

        expect(await store.events.count()).toBe(3);
        expect(await store.events.count({})).toBe(3);
        expect(await store.events.count({ type: 'intent.validated' })).toBe(2);
        expect(await store.events.count({ intentId: 'i-1' })).toBe(2);
        expect(await store.events.count({ agentId: 'ag-1' })).toBe(2);
        expect(await store.events.count({ tenantId: 't2' })).toBe(1);
        expect(await store.events.count({ traceId: 'trace-a' })).toBe(2);
        expect(
          await store.events.count({ intentId: 'i-1', tenantId: 't1' }),
        ).toBe(1);
        expect(await store.events.count({ intentId: 'nope' })).toBe(0);
      });

      it('rejects a count filter outside COUNT_FILTERS with ValidationError', async () => {
        await appendAll([anEvent({ timestamp: at(0) })]);
        const bad = [{ since: at(0) }, { event_type: 'intent.created' }];

        for (const filter of bad) {
          await expect(
            store.events.count(filter as unknown as CountFilter),
          ).rejects.toBeInstanceOf(ValidationError);
        }
      });

      it('prunes events older than before, and only counts them with dryRun', async () => {
        const events = [0, 1, 2].map((n) =>
          anEvent({ timestamp: at(n * DAY) }),
        );
        await appendAll(events);

        const wouldPrune = await store.events.prune({
          before: at(2 * DAY),
          dryRun: true,
        });
        const countAfterDryRun = await store.events.count();
        const pruned = await store.events.prune({ before: at(2 * DAY) });

        expect(wouldPrune).toBe(2);
        expect(countAfterDryRun).toBe(3);
        expect(pruned).toBe(2);
        expect(ids((await store.events.query()).items)).toEqual([
          events[2]?.id,
        ]);
        expect(await store.events.prune({ before: at(0) })).toBe(0);
      });
    });

    describe('intents', () => {
      it('creates an intent and reads it back unchanged', async () => {
        const intent = anIntent({
          tenantId: 't1',
          planId: 'plan-1',
          checksRequired: ['lint', 'unit_tests'],
          dependencies: ['o/r:pr-0'],
          semantic: { objective: 'x', nested: { deep: [1, { k: 'v' }] } },
          originType: 'agent',
          riskLevel: 'high',
          priority: 1,
        });

        const created = await store.intents.create(intent);

        expect(created).toEqual(intent);
        expect(await store.intents.get(intent.id)).toEqual(intent);
      });

      it('appends the creation event with the intent', async () => {
        const intent = anIntent();
        const event = anEvent({ intentId: intent.id, timestamp: at(0) });

        await store.intents.create(intent, event);

        expect(
          (await store.events.query({ intentId: intent.id })).items,
        ).toEqual([event]);
      });

      it('rejects a duplicate id with ConflictError and keeps the first', async () => {
        const intent = anIntent({ source: 'feature/first' });
        await store.intents.create(intent);

        await expect(
          store.intents.create({ ...intent, source: 'feature/second' }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.intents.get(intent.id)).toEqual(intent);
      });

      it('writes neither intent nor event when the creation event id exists', async () => {
        const existing = anEvent({ timestamp: at(0) });
        await store.events.append(existing);
        const intent = anIntent();

        await expect(
          store.intents.create(intent, { ...existing, intentId: intent.id }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.intents.get(intent.id)).toBeNull();
        expect(await store.events.count()).toBe(1);
      });

      it('returns null for a missing intent', async () => {
        expect(await store.intents.get('o/r:pr-missing')).toBeNull();
      });

      it('lists by status, by tenant and by both', async () => {
        const a = anIntent({ status: 'READY', tenantId: 't1' });
        const b = anIntent({ status: 'VALIDATED', tenantId: 't1' });
        const c = anIntent({ status: 'VALIDATED', tenantId: 't2' });
        const d = anIntent({ status: 'VALIDATED', tenantId: null });
        for (const intent of [a, b, c, d]) await store.intents.create(intent);
        const list = async (filter: Parameters<typeof store.intents.list>[0]) =>
          ids((await store.intents.list(filter)).items).sort();

        expect(await list({})).toEqual(ids([a, b, c, d]).sort());
        expect(await list({ status: 'VALIDATED' })).toEqual(
          ids([b, c, d]).sort(),
        );
        expect(await list({ tenantId: 't1' })).toEqual(ids([a, b]).sort());
        expect(await list({ status: 'VALIDATED', tenantId: 't1' })).toEqual([
          b.id,
        ]);
        expect(await list({ status: 'MERGED' })).toEqual([]);
      });

      it('orders by priority asc, then createdAt asc, then id asc', async () => {
        const p2Late = anIntent({
          id: 'i-a',
          priority: 2,
          createdAt: at(MINUTE),
        });
        const p1Late = anIntent({
          id: 'i-b',
          priority: 1,
          createdAt: at(MINUTE),
        });
        const p2EarlyZ = anIntent({ id: 'i-z', priority: 2, createdAt: at(0) });
        const p2EarlyC = anIntent({ id: 'i-c', priority: 2, createdAt: at(0) });
        const p3Early = anIntent({
          id: 'i-d',
          priority: 3,
          createdAt: at(-DAY),
        });
        for (const intent of [p2Late, p3Early, p2EarlyZ, p1Late, p2EarlyC]) {
          await store.intents.create(intent);
        }

        const page = await store.intents.list();

        expect(ids(page.items)).toEqual(['i-b', 'i-c', 'i-z', 'i-a', 'i-d']);
        expect(page.cursor).toBeUndefined();
      });

      it('pages with an opaque cursor without duplicates or gaps', async () => {
        const intents = [3, 1, 2, 1, 3, 2, 1].map((priority, n) =>
          anIntent({ priority, createdAt: at((n % 3) * SECOND) }),
        );
        for (const intent of intents) await store.intents.create(intent);
        const all = ids((await store.intents.list()).items);

        const pages = await collectPages((cursor) =>
          store.intents.list({}, pageOf(3, cursor)),
        );

        expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
        expect(pages.flat().map((intent) => intent.id)).toEqual(all);
        expect(new Set(all).size).toBe(7);
      });

      it('pages a filtered list', async () => {
        const queued = [1, 2, 3, 4, 5].map((priority) =>
          anIntent({ priority, status: 'QUEUED' }),
        );
        const ready = [1, 2, 3].map((priority) =>
          anIntent({ priority, status: 'READY' }),
        );
        for (const intent of [...ready, ...queued]) {
          await store.intents.create(intent);
        }

        const pages = await collectPages((cursor) =>
          store.intents.list({ status: 'QUEUED' }, pageOf(2, cursor)),
        );

        expect(pages.flat().map((intent) => intent.id)).toEqual(ids(queued));
      });

      it('rejects an invalid list cursor with ValidationError', async () => {
        await store.intents.create(anIntent());
        const foreign = Buffer.from('{"x":1}').toString('base64url');

        await expect(
          store.intents.list({}, { cursor: 'not a cursor!' }),
        ).rejects.toBeInstanceOf(ValidationError);
        await expect(
          store.intents.list({}, { cursor: foreign }),
        ).rejects.toBeInstanceOf(ValidationError);
      });
    });

    describe('intents.transition', () => {
      it('moves the status with version + 1, appending the event and the outbox entry', async () => {
        const intent = anIntent({ tenantId: 't1' });
        await store.intents.create(intent);
        clock.advance(MINUTE);
        const event = anEvent({
          type: 'intent.validated',
          intentId: intent.id,
          timestamp: clock.nowIso(),
        });

        const moved = await store.intents.transition({
          id: intent.id,
          to: 'VALIDATED',
          expectedVersion: 1,
          event,
          patch: { riskLevel: 'low', technical: { repo: 'o/r', sha: 'abc' } },
          outbox: anOutbox(),
        });

        const expected: Intent = {
          ...intent,
          status: 'VALIDATED',
          riskLevel: 'low',
          technical: { repo: 'o/r', sha: 'abc' },
          version: 2,
          updatedAt: clock.nowIso(),
        };
        expect(moved).toEqual(expected);
        expect(await store.intents.get(intent.id)).toEqual(expected);
        expect(
          (await store.events.query({ intentId: intent.id })).items,
        ).toEqual([event]);
        expect(await store.outbox.get('outbox-1')).toMatchObject({
          ...anOutbox(),
          attempts: 0,
          doneAt: null,
        });
        expect(ids(await store.outbox.pending())).toEqual(['outbox-1']);
      });

      it('rejects an illegal transition with InvalidTransitionError and writes nothing', async () => {
        const intent = anIntent({ status: 'MERGED' });
        await store.intents.create(intent);

        await expect(
          store.intents.transition({
            id: intent.id,
            to: 'QUEUED',
            expectedVersion: 1,
            event: anEvent({ intentId: intent.id }),
            outbox: anOutbox(),
          }),
        ).rejects.toBeInstanceOf(InvalidTransitionError);
        await expectNothingWritten(intent);
      });

      it('rejects a stale expectedVersion with ConflictError and writes nothing', async () => {
        const intent = anIntent();
        await store.intents.create(intent);

        const error = await store.intents
          .transition({
            id: intent.id,
            to: 'VALIDATED',
            expectedVersion: 2,
            event: anEvent({ intentId: intent.id }),
            outbox: anOutbox(),
          })
          .catch((caught: unknown) => caught);

        expect(error).toBeInstanceOf(ConflictError);
        expect(error).not.toBeInstanceOf(InvalidTransitionError);
        await expectNothingWritten(intent);
      });

      it('rejects a missing intent with NotFoundError and writes nothing', async () => {
        await expect(
          store.intents.transition({
            id: 'o/r:pr-missing',
            to: 'VALIDATED',
            expectedVersion: 1,
            event: anEvent({ intentId: 'o/r:pr-missing' }),
            outbox: anOutbox(),
          }),
        ).rejects.toBeInstanceOf(NotFoundError);
        expect(await store.events.count()).toBe(0);
        expect(await store.outbox.get('outbox-1')).toBeNull();
      });

      it('writes nothing when the event id already exists', async () => {
        const intent = anIntent();
        await store.intents.create(intent);
        const existing = anEvent({ intentId: 'someone-else' });
        await store.events.append(existing);

        await expect(
          store.intents.transition({
            id: intent.id,
            to: 'VALIDATED',
            expectedVersion: 1,
            event: { ...existing, intentId: intent.id },
            outbox: anOutbox(),
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        await expectNothingWritten(intent);
      });

      it('writes nothing when the outbox id already exists', async () => {
        const intent = anIntent();
        await store.intents.create(intent);
        await store.outbox.enqueue(anOutbox({ id: 'taken' }));

        await expect(
          store.intents.transition({
            id: intent.id,
            to: 'VALIDATED',
            expectedVersion: 1,
            event: anEvent({ intentId: intent.id }),
            outbox: anOutbox({ id: 'taken', payload: { other: 1 } }),
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.intents.get(intent.id)).toEqual(intent);
        expect(await store.events.count({ intentId: intent.id })).toBe(0);
        expect((await store.outbox.get('taken'))?.payload).toEqual(
          anOutbox().payload,
        );
      });

      it('allows any move on the force path', async () => {
        const intent = anIntent({ status: 'MERGED' });
        await store.intents.create(intent);

        const moved = await store.intents.transition({
          id: intent.id,
          to: 'QUEUED',
          expectedVersion: 1,
          event: anEvent({
            type: 'intent.status_changed',
            intentId: intent.id,
          }),
          force: true,
        });

        expect(moved).toMatchObject({ status: 'QUEUED', version: 2 });
        expect(await store.intents.get(intent.id)).toEqual(moved);
        expect(await store.events.count({ intentId: intent.id })).toBe(1);
      });

      it('allows a re-entry the state machine permits (VALIDATED -> VALIDATED)', async () => {
        const intent = anIntent({ status: 'VALIDATED', version: 4 });
        await store.intents.create(intent);

        const moved = await store.intents.transition({
          id: intent.id,
          to: 'VALIDATED',
          expectedVersion: 4,
          event: anEvent({ type: 'intent.validated', intentId: intent.id }),
        });

        expect(moved).toMatchObject({ status: 'VALIDATED', version: 5 });
      });

      it('lets exactly one of two racing transitions with one version win', async () => {
        const intent = anIntent({ status: 'VALIDATED' });
        await store.intents.create(intent);
        const race = (to: 'QUEUED' | 'REJECTED', outboxId: string) =>
          store.intents.transition({
            id: intent.id,
            to,
            expectedVersion: 1,
            event: anEvent({ intentId: intent.id }),
            outbox: anOutbox({ id: outboxId }),
          });

        const results = await Promise.allSettled([
          race('QUEUED', 'ob-q'),
          race('REJECTED', 'ob-r'),
        ]);

        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(ConflictError);
        expect((await store.intents.get(intent.id))?.version).toBe(2);
        expect(await store.events.count({ intentId: intent.id })).toBe(1);
        expect(await store.outbox.pending()).toHaveLength(1);
      });
    });

    describe('intents.update', () => {
      it('changes fields with version + 1 and appends the optional event', async () => {
        const intent = anIntent();
        await store.intents.create(intent);
        clock.advance(SECOND);
        const event = anEvent({ type: 'intent.updated', intentId: intent.id });

        const updated = await store.intents.update({
          id: intent.id,
          expectedVersion: 1,
          patch: { priority: 1, dependencies: ['o/r:pr-9'], planId: 'p-1' },
          event,
        });

        const expected: Intent = {
          ...intent,
          priority: 1,
          dependencies: ['o/r:pr-9'],
          planId: 'p-1',
          version: 2,
          updatedAt: clock.nowIso(),
        };
        expect(updated).toEqual(expected);
        expect(await store.intents.get(intent.id)).toEqual(expected);
        expect(
          (await store.events.query({ intentId: intent.id })).items,
        ).toEqual([event]);
      });

      it('rejects a stale expectedVersion with ConflictError', async () => {
        const intent = anIntent();
        await store.intents.create(intent);
        await store.intents.update({
          id: intent.id,
          expectedVersion: 1,
          patch: { priority: 2 },
        });

        await expect(
          store.intents.update({
            id: intent.id,
            expectedVersion: 1,
            patch: { priority: 5 },
            event: anEvent({ intentId: intent.id }),
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.intents.get(intent.id)).toMatchObject({
          priority: 2,
          version: 2,
        });
        expect(await store.events.count({ intentId: intent.id })).toBe(0);
      });

      it('writes nothing when the update event id already exists', async () => {
        const intent = anIntent();
        await store.intents.create(intent);
        const existing = anEvent({ intentId: 'someone-else' });
        await store.events.append(existing);

        await expect(
          store.intents.update({
            id: intent.id,
            expectedVersion: 1,
            patch: { priority: 1 },
            event: { ...existing, intentId: intent.id },
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.intents.get(intent.id)).toEqual(intent);
        expect(await store.events.count({ intentId: intent.id })).toBe(0);
      });

      it('rejects a missing intent with NotFoundError', async () => {
        await expect(
          store.intents.update({
            id: 'o/r:pr-missing',
            expectedVersion: 1,
            patch: { priority: 1 },
          }),
        ).rejects.toBeInstanceOf(NotFoundError);
      });

      it('never changes the status, even when a patch carries one', async () => {
        const intent = anIntent({ status: 'MERGED' });
        await store.intents.create(intent);
        const sneaky = {
          status: 'READY',
          priority: 1,
        } as unknown as IntentPatch;

        const updated = await store.intents.update({
          id: intent.id,
          expectedVersion: 1,
          patch: sneaky,
        });

        expect(updated).toMatchObject({ status: 'MERGED', priority: 1 });
        expect((await store.intents.get(intent.id))?.status).toBe('MERGED');
      });

      it('sets retries with updateRetries, version + 1, and checks the version', async () => {
        const intent = anIntent();
        await store.intents.create(intent);

        const updated = await store.intents.updateRetries(intent.id, 2, 1);

        expect(updated).toMatchObject({ retries: 2, version: 2 });
        expect(await store.intents.get(intent.id)).toEqual(updated);
        await expect(
          store.intents.updateRetries(intent.id, 3, 1),
        ).rejects.toBeInstanceOf(ConflictError);
        await expect(
          store.intents.updateRetries('o/r:pr-missing', 1, 1),
        ).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('policies', () => {
      it('versions risk policies from 1, one up per upsert', async () => {
        const first = await store.policies.upsertRiskPolicy('t1', {
          mode: 'shadow',
        });
        clock.advance(SECOND);
        const second = await store.policies.upsertRiskPolicy('t1', {
          mode: 'enforce',
          enforce_ratio: 0.5,
        });
        const other = await store.policies.upsertRiskPolicy('t2', { a: 1 });

        expect(first).toEqual({
          tenantId: 't1',
          data: { mode: 'shadow' },
          version: 1,
          updatedAt: at(-SECOND),
        });
        expect(second).toEqual({
          tenantId: 't1',
          data: { mode: 'enforce', enforce_ratio: 0.5 },
          version: 2,
          updatedAt: at(0),
        });
        expect(other.version).toBe(1);
        expect(await store.policies.getRiskPolicy('t1')).toEqual(second);
        expect(await store.policies.getRiskPolicy('t3')).toBeNull();
        const listed = await store.policies.listRiskPolicies();
        expect(listed.map((p) => [p.tenantId, p.version]).sort()).toEqual([
          ['t1', 2],
          ['t2', 1],
        ]);
      });

      it('stores agent policies per tenant with an any-tenant fallback', async () => {
        const any = await store.policies.upsertAgentPolicy('bot', null, {
          atl: 1,
        });
        const t1 = await store.policies.upsertAgentPolicy('bot', 't1', {
          atl: 3,
        });

        expect(any).toMatchObject({ agentId: 'bot', tenantId: '', version: 1 });
        expect(t1).toMatchObject({
          agentId: 'bot',
          tenantId: 't1',
          version: 1,
        });
        expect(await store.policies.getAgentPolicy('bot', 't1')).toEqual(t1);
        expect(await store.policies.getAgentPolicy('bot', 't2')).toEqual(any);
        expect(await store.policies.getAgentPolicy('bot', null)).toEqual(any);
        expect(await store.policies.getAgentPolicy('other', 't1')).toBeNull();
      });

      it('updates and lists agent policies', async () => {
        await store.policies.upsertAgentPolicy('bot', 't1', { atl: 1 });
        const updated = await store.policies.upsertAgentPolicy('bot', 't1', {
          atl: 2,
        });
        await store.policies.upsertAgentPolicy('bot', null, { atl: 0 });
        await store.policies.upsertAgentPolicy('helper', 't2', { atl: 4 });

        expect(updated).toMatchObject({ version: 2, data: { atl: 2 } });
        const all = await store.policies.listAgentPolicies();
        expect(all.map((p) => `${p.agentId}@${p.tenantId}`).sort()).toEqual([
          'bot@',
          'bot@t1',
          'helper@t2',
        ]);
        const ofT1 = await store.policies.listAgentPolicies('t1');
        expect(ofT1).toEqual([updated]);
      });

      it('versions compliance thresholds per tenant', async () => {
        const first = await store.policies.upsertComplianceThresholds('t1', {
          min_health: 60,
        });
        const second = await store.policies.upsertComplianceThresholds('t1', {
          min_health: 70,
        });

        expect(first.version).toBe(1);
        expect(second).toMatchObject({
          tenantId: 't1',
          data: { min_health: 70 },
          version: 2,
        });
        expect(await store.policies.getComplianceThresholds('t1')).toEqual(
          second,
        );
        expect(await store.policies.getComplianceThresholds('t9')).toBeNull();
        expect(await store.policies.listComplianceThresholds()).toEqual([
          second,
        ]);
      });
    });

    describe('locks', () => {
      it('acquires a free lock and reports its holder', async () => {
        const lock = await store.locks.acquire('queue', 'worker-1', MINUTE);

        const expected = {
          name: 'queue',
          holder: 'worker-1',
          acquiredAt: at(0),
          expiresAt: at(MINUTE),
        };
        expect(lock).toEqual(expected);
        expect(await store.locks.info('queue')).toEqual(expected);
        expect(await store.locks.info('other')).toBeNull();
      });

      it('returns null while another holder has it', async () => {
        await store.locks.acquire('queue', 'worker-1', MINUTE);
        clock.advance(MINUTE - 1);

        expect(
          await store.locks.acquire('queue', 'worker-2', MINUTE),
        ).toBeNull();
        expect((await store.locks.info('queue'))?.holder).toBe('worker-1');
      });

      it('releases only for its holder', async () => {
        await store.locks.acquire('queue', 'worker-1', MINUTE);

        expect(await store.locks.release('queue', 'worker-2')).toBe(false);
        expect((await store.locks.info('queue'))?.holder).toBe('worker-1');
        expect(await store.locks.release('queue', 'worker-1')).toBe(true);
        expect(await store.locks.info('queue')).toBeNull();
        expect(await store.locks.release('queue', 'worker-1')).toBe(false);
        expect(
          await store.locks.acquire('queue', 'worker-2', MINUTE),
        ).not.toBeNull();
      });

      it('force-releases whoever holds it', async () => {
        await store.locks.acquire('queue', 'worker-1', MINUTE);

        expect(await store.locks.forceRelease('queue')).toBe(true);
        expect(await store.locks.info('queue')).toBeNull();
        expect(await store.locks.forceRelease('queue')).toBe(false);
      });

      it('treats an expired lock as free (clock-driven)', async () => {
        await store.locks.acquire('queue', 'worker-1', MINUTE);
        clock.advance(MINUTE + 1);

        expect(await store.locks.info('queue')).toBeNull();
        const taken = await store.locks.acquire('queue', 'worker-2', MINUTE);

        expect(taken).toEqual({
          name: 'queue',
          holder: 'worker-2',
          acquiredAt: at(0),
          expiresAt: at(MINUTE),
        });
        expect(await store.locks.release('queue', 'worker-1')).toBe(false);
        expect((await store.locks.info('queue'))?.holder).toBe('worker-2');
      });

      it('does not release an expired lease: it is no longer held', async () => {
        await store.locks.acquire('queue', 'worker-1', MINUTE);
        await store.locks.acquire('other', 'worker-1', MINUTE);
        clock.advance(MINUTE + 1);

        expect(await store.locks.release('queue', 'worker-1')).toBe(false);
        expect(await store.locks.forceRelease('other')).toBe(false);
        expect(
          await store.locks.acquire('queue', 'worker-2', MINUTE),
        ).not.toBeNull();
        expect(
          await store.locks.acquire('other', 'worker-2', MINUTE),
        ).not.toBeNull();
      });

      it('renews the lease when its holder acquires again', async () => {
        await store.locks.acquire('queue', 'worker-1', MINUTE);
        clock.advance(30 * SECOND);

        const renewed = await store.locks.acquire('queue', 'worker-1', MINUTE);

        expect(renewed).toMatchObject({
          holder: 'worker-1',
          expiresAt: at(MINUTE),
        });
        clock.advance(45 * SECOND);
        expect((await store.locks.info('queue'))?.holder).toBe('worker-1');
      });

      it('grants a lock contended by 50 workers to exactly one holder', async () => {
        const holders = Array.from({ length: 50 }, (_, i) => `w${i}`);

        const results = await Promise.all(
          holders.map((holder) => store.locks.acquire('queue', holder, MINUTE)),
        );

        const winners = results.filter((lock) => lock !== null);
        expect(winners).toHaveLength(1);
        expect((await store.locks.info('queue'))?.holder).toBe(
          winners[0]?.holder,
        );
      });
    });

    describe('deliveries', () => {
      it('claims once; a second claim is a ConflictError', async () => {
        await store.deliveries.claim('delivery-1');

        expect(await store.deliveries.isClaimed('delivery-1')).toBe(true);
        expect(await store.deliveries.isClaimed('delivery-2')).toBe(false);
        await expect(
          store.deliveries.claim('delivery-1'),
        ).rejects.toBeInstanceOf(ConflictError);
      });

      it('can be claimed again after unclaim', async () => {
        await store.deliveries.claim('delivery-1');

        await store.deliveries.unclaim('delivery-1');

        expect(await store.deliveries.isClaimed('delivery-1')).toBe(false);
        await expect(
          store.deliveries.claim('delivery-1'),
        ).resolves.toBeUndefined();
        expect(await store.deliveries.isClaimed('delivery-1')).toBe(true);
      });

      it('can be claimed again once the claim expired (clock-driven)', async () => {
        await store.deliveries.claim('job-1', MINUTE);
        clock.advance(MINUTE - 1);
        await expect(
          store.deliveries.claim('job-1', MINUTE),
        ).rejects.toBeInstanceOf(ConflictError);
        clock.advance(2);

        expect(await store.deliveries.isClaimed('job-1')).toBe(false);
        await store.deliveries.claim('job-1', MINUTE);
        expect(await store.deliveries.isClaimed('job-1')).toBe(true);
      });

      it('keeps a claim 90 days by default', async () => {
        await store.deliveries.claim('delivery-1');

        clock.advance(89 * DAY);
        expect(await store.deliveries.isClaimed('delivery-1')).toBe(true);
        clock.advance(2 * DAY);
        expect(await store.deliveries.isClaimed('delivery-1')).toBe(false);
      });

      it('lets exactly one of 50 concurrent claims win', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, () =>
            store.deliveries.claim('delivery-1'),
          ),
        );

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') {
            expect(result.reason).toBeInstanceOf(ConflictError);
          }
        }
      });
    });

    describe('keys', () => {
      it('stores a key and finds it by hash', async () => {
        const key = aKey({ expiresAt: at(DAY) });

        await store.keys.put(key);

        expect(await store.keys.findByHash(key.keyHash)).toEqual(key);
        expect(await store.keys.findByHash('f'.repeat(64))).toBeNull();
      });

      it('rejects a duplicate hash with ConflictError', async () => {
        const key = aKey();
        await store.keys.put(key);

        await expect(
          store.keys.put({ ...key, actor: 'mallory' }),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await store.keys.findByHash(key.keyHash))?.actor).toBe('alice');
      });

      it('never finds an expired key, but lists it', async () => {
        const key = aKey({ expiresAt: at(MINUTE) });
        await store.keys.put(key);

        clock.advance(MINUTE - 1);
        expect(await store.keys.findByHash(key.keyHash)).toEqual(key);
        clock.advance(2);
        expect(await store.keys.findByHash(key.keyHash)).toBeNull();
        expect(await store.keys.list()).toEqual([key]);
      });

      it('revokes by key id; a revoked key is never found', async () => {
        const key = aKey();
        await store.keys.put(key);

        expect(await store.keys.revoke(key.keyId)).toBe(true);
        expect(await store.keys.findByHash(key.keyHash)).toBeNull();
        expect(await store.keys.revoke(key.keyId)).toBe(false);
        expect(await store.keys.revoke('unknown-id')).toBe(false);
        const [listed] = await store.keys.list();
        expect(listed?.revokedAt).toEqual(expect.any(String));
      });

      it('lists every key newest first, optionally of one tenant', async () => {
        const old = aKey({ keyHash: '1'.repeat(64), createdAt: at(-DAY) });
        const mid = aKey({
          keyHash: '2'.repeat(64),
          tenantId: 't2',
          createdAt: at(-MINUTE),
        });
        const young = aKey({ keyHash: '3'.repeat(64), createdAt: at(0) });
        for (const key of [mid, young, old]) await store.keys.put(key);
        await store.keys.revoke(old.keyId);

        const all = await store.keys.list();
        const ofT1 = await store.keys.list('t1');

        expect(all.map((k) => k.keyHash)).toEqual([
          young.keyHash,
          mid.keyHash,
          old.keyHash,
        ]);
        expect(ofT1.map((k) => k.keyHash)).toEqual([
          young.keyHash,
          old.keyHash,
        ]);
      });

      it('rotates: the old key lives through the grace period, the new one at once', async () => {
        const old = aKey({ keyHash: '1'.repeat(64) });
        const next = aKey({ keyHash: '2'.repeat(64), createdAt: at(0) });
        await store.keys.put(old);

        await store.keys.rotate(old.keyHash, next, 300);

        expect(await store.keys.findByHash(next.keyHash)).toEqual(next);
        expect(await store.keys.findByHash(old.keyHash)).toMatchObject({
          keyHash: old.keyHash,
          expiresAt: at(300 * SECOND),
        });
        clock.advance(300 * SECOND - 1);
        expect(await store.keys.findByHash(old.keyHash)).not.toBeNull();
        clock.advance(2);
        expect(await store.keys.findByHash(old.keyHash)).toBeNull();
        expect(await store.keys.findByHash(next.keyHash)).toEqual(next);
      });

      it('refuses to rotate a key that is not live, storing nothing', async () => {
        const revoked = aKey({ keyHash: '1'.repeat(64) });
        const expired = aKey({
          keyHash: '2'.repeat(64),
          expiresAt: at(SECOND),
        });
        await store.keys.put(revoked);
        await store.keys.put(expired);
        await store.keys.revoke(revoked.keyId);
        clock.advance(2 * SECOND);
        const next = aKey({ keyHash: '9'.repeat(64) });

        for (const oldHash of [
          revoked.keyHash,
          expired.keyHash,
          'f'.repeat(64),
        ]) {
          await expect(
            store.keys.rotate(oldHash, next, 60),
          ).rejects.toBeInstanceOf(NotFoundError);
        }
        expect(await store.keys.findByHash(next.keyHash)).toBeNull();
      });

      it('rotates atomically: a taken new hash leaves the old key untouched', async () => {
        const old = aKey({ keyHash: '1'.repeat(64) });
        const taken = aKey({ keyHash: '2'.repeat(64) });
        await store.keys.put(old);
        await store.keys.put(taken);

        await expect(
          store.keys.rotate(old.keyHash, { ...taken, actor: 'bob' }, 60),
        ).rejects.toBeInstanceOf(ConflictError);
        expect(await store.keys.findByHash(old.keyHash)).toEqual(old);
        expect((await store.keys.findByHash(taken.keyHash))?.actor).toBe(
          'alice',
        );
      });
    });

    describe('rateLimits', () => {
      it('counts hits in a fixed window and resets at its end (clock-driven)', async () => {
        clock.set('2030-06-01T00:00:00.000Z');
        const windowEnd = at(MINUTE);

        const first = await store.rateLimits.hit('t1:api', MINUTE);
        const second = await store.rateLimits.hit('t1:api', MINUTE);
        clock.advance(MINUTE - 1);
        const third = await store.rateLimits.hit('t1:api', MINUTE);
        clock.advance(1);
        const fresh = await store.rateLimits.hit('t1:api', MINUTE);

        expect(first).toEqual({ count: 1, resetAt: windowEnd });
        expect(second).toEqual({ count: 2, resetAt: windowEnd });
        expect(third).toEqual({ count: 3, resetAt: windowEnd });
        expect(fresh).toEqual({ count: 1, resetAt: at(MINUTE) });
      });

      it('counts each key on its own', async () => {
        await store.rateLimits.hit('t1:api', MINUTE);
        await store.rateLimits.hit('t1:api', MINUTE);

        expect((await store.rateLimits.hit('t2:api', MINUTE)).count).toBe(1);
        expect((await store.rateLimits.hit('t1:api', MINUTE)).count).toBe(3);
      });

      it('gives 50 concurrent hits the distinct counts 1..50', async () => {
        const hits = await Promise.all(
          Array.from({ length: 50 }, () => store.rateLimits.hit('hot', MINUTE)),
        );

        const counts = hits.map((hit) => hit.count).sort((a, b) => a - b);
        expect(counts).toEqual(Array.from({ length: 50 }, (_, n) => n + 1));
      });
    });

    describe('outbox', () => {
      it('enqueues an entry due now, with no attempts', async () => {
        const entry = anOutbox();

        await store.outbox.enqueue(entry);

        expect(await store.outbox.get(entry.id)).toEqual({
          ...entry,
          createdAt: at(0),
          attempts: 0,
          nextAttemptAt: at(0),
          lastError: null,
          doneAt: null,
        });
        expect(await store.outbox.get('missing')).toBeNull();
      });

      it('rejects a duplicate id with ConflictError', async () => {
        await store.outbox.enqueue(anOutbox());

        await expect(
          store.outbox.enqueue(anOutbox({ kind: 'other' })),
        ).rejects.toBeInstanceOf(ConflictError);
        expect((await store.outbox.get('outbox-1'))?.kind).toBe(
          'github.check_run',
        );
      });

      it('lists pending entries oldest first, up to the limit', async () => {
        await store.outbox.enqueue(anOutbox({ id: 'zz-first' }));
        clock.advance(SECOND);
        await store.outbox.enqueue(anOutbox({ id: 'aa-second' }));
        clock.advance(SECOND);
        await store.outbox.enqueue(
          anOutbox({ id: 'mm-third', tenantId: null }),
        );

        expect(ids(await store.outbox.pending())).toEqual([
          'zz-first',
          'aa-second',
          'mm-third',
        ]);
        expect(ids(await store.outbox.pending(2))).toEqual([
          'zz-first',
          'aa-second',
        ]);
      });

      it('records a failed attempt and holds the entry until it is due', async () => {
        await store.outbox.enqueue(anOutbox());
        const retryAt = at(30 * SECOND);

        await store.outbox.recordAttempt('outbox-1', 'GitHub 502', retryAt);

        expect(await store.outbox.get('outbox-1')).toMatchObject({
          attempts: 1,
          lastError: 'GitHub 502',
          nextAttemptAt: retryAt,
          doneAt: null,
        });
        expect(await store.outbox.pending()).toEqual([]);
        clock.advance(30 * SECOND);
        expect(ids(await store.outbox.pending())).toEqual(['outbox-1']);
        await store.outbox.recordAttempt('outbox-1', 'GitHub 503', at(MINUTE));
        expect(await store.outbox.get('outbox-1')).toMatchObject({
          attempts: 2,
          lastError: 'GitHub 503',
        });
      });

      it('marks an entry done, idempotently', async () => {
        await store.outbox.enqueue(anOutbox());
        await store.outbox.enqueue(anOutbox({ id: 'outbox-2' }));
        clock.advance(SECOND);

        await store.outbox.markDone('outbox-1');
        const doneAt = (await store.outbox.get('outbox-1'))?.doneAt;
        clock.advance(SECOND);
        await store.outbox.markDone('outbox-1');

        expect(doneAt).toBe(at(-SECOND));
        expect((await store.outbox.get('outbox-1'))?.doneAt).toBe(doneAt);
        expect(ids(await store.outbox.pending())).toEqual(['outbox-2']);
      });
    });

    describe('health', () => {
      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
}
