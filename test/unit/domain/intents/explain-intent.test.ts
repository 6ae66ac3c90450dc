import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import { explainIntent } from '../../../../shared/domain/intents/explain-intent.js';
import { anEvent, anIntent } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

const at = (second: number) =>
  `2030-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;

describe('explainIntent', () => {
  let store: SqliteStore;

  beforeEach(() => {
    store = SqliteStore.open({ path: ':memory:', clock: new TestClock() });
  });

  afterEach(async () => {
    await store.close();
  });

  it('answers with one read of the newest decision', async () => {
    // Prepare
    const intent = anIntent();
    await store.intents.create(
      intent,
      anEvent({ intentId: intent.id, timestamp: at(0) }),
    );
    await store.events.append(
      anEvent({
        type: 'intent.blocked',
        intentId: intent.id,
        timestamp: at(1),
        payload: { reason: 'Merge conflict in: a.py' },
      }),
    );
    const latest = vi.spyOn(store.events, 'latest');
    // Act
    const why = await explainIntent(store, intent);
    // Assess
    expect(why).toMatchObject({
      last_decision: 'intent.blocked',
      reason: 'Merge conflict in: a.py',
      at: at(1),
    });
    expect(latest).toHaveBeenCalledTimes(1);
  });

  it('looks past newer non-decision events for the latest decision', async () => {
    // Prepare
    const intent = anIntent({ status: 'VALIDATED' });
    await store.intents.create(
      intent,
      anEvent({ intentId: intent.id, timestamp: at(0) }),
    );
    const decision = anEvent({
      type: 'intent.validated',
      intentId: intent.id,
      timestamp: at(1),
      payload: { decision: 'validated' },
    });
    await store.events.append(decision);
    for (const [i, type] of (
      ['github.check_run_created', 'provenance.recorded'] as const
    ).entries()) {
      await store.events.append(
        anEvent({ type, intentId: intent.id, timestamp: at(2 + i) }),
      );
    }
    // Act
    const why = await explainIntent(store, intent);
    // Assess
    expect(why).toMatchObject({
      status: 'VALIDATED',
      last_decision: 'intent.validated',
      reason: 'validated',
      trace_id: decision.traceId,
    });
  });

  it('falls back to the status when no decision is recorded', async () => {
    // Prepare
    const intent = anIntent();
    await store.events.append(
      anEvent({
        type: 'github.check_run_created',
        intentId: intent.id,
        timestamp: at(1),
      }),
    );
    // Act
    const why = await explainIntent(store, intent);
    // Assess
    expect(why).toMatchObject({
      status: 'READY',
      reason: 'Waiting for validation',
      last_decision: null,
      at: null,
    });
  });
});
