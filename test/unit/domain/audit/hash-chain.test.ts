import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import {
  canonicalJson,
  sha256Hex,
} from '../../../../shared/domain/audit/canonical-json.js';
import {
  CHECKPOINT_ENTRIES,
  chainHash,
  GENESIS_HASH,
} from '../../../../shared/domain/audit/chain-checkpoint.js';
import {
  initChain,
  verifyChain,
} from '../../../../shared/domain/audit/hash-chain.js';
import {
  ConflictError,
  NotFoundError,
} from '../../../../shared/domain/errors.js';
import {
  buildEvent,
  type ConvergeEvent,
} from '../../../../shared/domain/event.js';
import type { EventStore, Store } from '../../../../shared/ports/store.js';
import { SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

/** The store as seen through an edited copy of the log (no UPDATE port). */
function tampered(
  store: Store,
  edit: (event: ConvergeEvent) => ConvergeEvent | null,
): Store {
  const events: EventStore = {
    append: (event) => store.events.append(event),
    count: (filter) => store.events.count(filter),
    prune: (input) => store.events.prune(input),
    query: async (filter, page) => {
      const result = await store.events.query(filter, page);
      const items = result.items
        .map(edit)
        .filter((e): e is ConvergeEvent => e !== null);
      return { ...result, items };
    },
    latest: async (filter) =>
      (await events.query(filter, { limit: 1 })).items[0],
  };
  return {
    events,
    intents: store.intents,
    policies: store.policies,
    locks: store.locks,
    deliveries: store.deliveries,
    keys: store.keys,
    rateLimits: store.rateLimits,
    outbox: store.outbox,
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

describe('audit hash chain', () => {
  let store: SqliteStore;
  let clock: TestClock;
  let deps: { store: Store; clock: TestClock; ids: SequentialIds };

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    deps = { store, clock, ids: new SequentialIds() };
  });
  afterEach(async () => {
    await store.close();
  });

  async function seed(n: number, tenantId: string | null = 't1') {
    const events: ConvergeEvent[] = [];
    for (let i = 0; i < n; i += 1) {
      const event = buildEvent(
        { type: 'intent.created', tenantId, payload: { n: i, tag: 'x' } },
        deps.ids,
        clock.advance(10),
      );
      await store.events.append(event);
      events.push(event);
    }
    return events;
  }

  const withEdit = (edit: (e: ConvergeEvent) => ConvergeEvent | null) => ({
    ...deps,
    store: tampered(store, edit),
  });

  it('hashes prev | id | timestamp | type | canonical payload', () => {
    // Prepare
    const event = buildEvent(
      { type: 'intent.created', payload: { b: 2, a: 1 } },
      new SequentialIds(),
      '2030-01-01T00:00:00.000Z',
    );
    // Act
    const hash = chainHash(GENESIS_HASH, event);
    // Assess
    const text = [
      GENESIS_HASH,
      event.id,
      event.timestamp,
      'intent.created',
      canonicalJson({ a: 1, b: 2 }),
    ].join('|');
    expect(hash).toBe(sha256Hex(text));
  });

  it('seals every event and verifies an untouched log', async () => {
    // Prepare
    const events = await seed(5);
    // Act
    const init = await initChain(deps, 't1');
    const result = await verifyChain(deps, 't1');
    // Assess
    let head = GENESIS_HASH;
    for (const event of events) head = chainHash(head, event);
    expect(init).toMatchObject({
      scope: 't1',
      head,
      count: 5,
      sealed: 5,
      last_event_id: events[4]?.id,
    });
    expect(result).toEqual({
      ok: true,
      scope: 't1',
      count: 5,
      head,
      unsealed: 1,
    });
    const verified = await store.events.query({ type: 'audit.chain.verified' });
    expect(verified.items[0]).toMatchObject({ tenantId: 't1' });
  });

  it('extends the chain from the last head on the next init', async () => {
    // Prepare
    await seed(3);
    const first = await initChain(deps, 't1');
    await seed(2);
    // Act
    const second = await initChain(deps, 't1');
    const result = await verifyChain(deps, 't1');
    // Assess: 2 new events plus the first checkpoint.
    expect(second).toMatchObject({ count: 6, sealed: 3 });
    const checkpoints = await store.events.query({
      type: 'audit.chain.initialized',
    });
    expect(checkpoints.items[0]?.payload).toMatchObject({
      seq: 2,
      prev_head: first.head,
      head: second.head,
    });
    expect(result).toMatchObject({ ok: true, count: 6, head: second.head });
  });

  it('names the first modified event, in chain order', async () => {
    // Prepare
    const events = await seed(6);
    await initChain(deps, 't1');
    const [, , third, , fifth] = events;
    // Act
    const result = await verifyChain(
      withEdit((e) =>
        e.id === third?.id || e.id === fifth?.id
          ? { ...e, payload: { ...e.payload, tag: 'forged' } }
          : e,
      ),
      't1',
    );
    // Assess
    expect(result).toMatchObject({
      ok: false,
      count: 2,
      first_bad_event_id: third?.id,
    });
    expect(result.reason).toContain('modified');
    const alarms = await store.events.query({
      type: 'audit.chain.tamper_detected',
    });
    expect(alarms.items[0]?.payload).toMatchObject({
      first_bad_event_id: third?.id,
    });
  });

  it('detects a changed timestamp or type as a modification', async () => {
    // Prepare
    const [first, second] = await seed(2);
    await initChain(deps, 't1');
    // Act
    const moved = await verifyChain(
      withEdit((e) =>
        e.id === first?.id
          ? { ...e, timestamp: '2029-01-01T00:00:00.000Z' }
          : e,
      ),
      't1',
    );
    const retyped = await verifyChain(
      withEdit((e) =>
        e.id === second?.id ? { ...e, type: 'intent.merged' } : e,
      ),
      't1',
    );
    // Assess
    expect(moved.first_bad_event_id).toBe(first?.id);
    expect(retyped.first_bad_event_id).toBe(second?.id);
  });

  it('names a deleted event', async () => {
    // Prepare
    const events = await seed(4);
    await initChain(deps, 't1');
    const gone = events[1]?.id;
    // Act
    const result = await verifyChain(
      withEdit((e) => (e.id === gone ? null : e)),
      't1',
    );
    // Assess
    expect(result).toMatchObject({ ok: false, first_bad_event_id: gone });
    expect(result.reason).toContain('deleted');
  });

  it('names a checkpoint that no longer links to the previous head', async () => {
    // Prepare
    await seed(2);
    await initChain(deps, 't1');
    await seed(1);
    const second = await initChain(deps, 't1');
    const id = second.checkpoint_ids[0];
    // Act
    const result = await verifyChain(
      withEdit((e) =>
        e.id === id
          ? { ...e, payload: { ...e.payload, prev_head: 'f'.repeat(64) } }
          : e,
      ),
      't1',
    );
    // Assess
    expect(result).toMatchObject({ ok: false, first_bad_event_id: id });
    expect(result.reason).toContain('does not link');
  });

  it('splits a long run into checkpoints of bounded size', async () => {
    // Prepare
    await seed(CHECKPOINT_ENTRIES * 2 + 7);
    // Act
    const init = await initChain(deps, 't1');
    const result = await verifyChain(deps, 't1');
    // Assess
    expect(init.checkpoint_ids).toHaveLength(3);
    expect(result).toMatchObject({
      ok: true,
      count: CHECKPOINT_ENTRIES * 2 + 7,
    });
    expect(result.unsealed).toBe(3);
  });

  it('keeps tenant chains apart; the null scope covers the whole log', async () => {
    // Prepare
    await seed(3, 't1');
    const other = await seed(2, 't2');
    await initChain(deps, 't1');
    await initChain(deps, null);
    const forged = withEdit((e) =>
      e.id === other[0]?.id ? { ...e, payload: { forged: true } } : e,
    );
    // Act
    const t1 = await verifyChain(forged, 't1');
    const all = await verifyChain(forged, null);
    // Assess
    expect(t1).toMatchObject({ ok: true, count: 3 });
    expect(all).toMatchObject({ ok: false, first_bad_event_id: other[0]?.id });
  });

  it('refuses a second init while one runs, and verify before any init', async () => {
    // Prepare
    await store.locks.acquire('audit-chain:t1', 'someone', 60_000);
    // Act / Assess
    await expect(initChain(deps, 't1')).rejects.toBeInstanceOf(ConflictError);
    await expect(verifyChain(deps, 't1')).rejects.toBeInstanceOf(NotFoundError);
  });
});
