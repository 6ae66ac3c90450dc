import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import { buildEvent, type EventType } from '../../../../shared/domain/event.js';
import {
  decisionRow,
  decisionRows,
  exportDecisions,
} from '../../../../shared/domain/export/export-decisions.js';
import type { JsonObject } from '../../../../shared/domain/intent.js';
import { anIntent, SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

describe('decision export', () => {
  let store: SqliteStore;
  let clock: TestClock;
  let deps: { store: SqliteStore; clock: TestClock; ids: SequentialIds };

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    deps = { store, clock, ids: new SequentialIds() };
  });
  afterEach(async () => {
    await store.close();
  });

  async function addEvent(
    type: EventType,
    intentId: string,
    payload: JsonObject,
  ) {
    clock.advance(1000);
    await store.events.append(
      buildEvent({ type, intentId, payload }, deps.ids, clock.nowIso()),
    );
  }

  async function seedIntents(n: number, tenantId: string) {
    for (let i = 0; i < n; i += 1) {
      await store.intents.create(
        anIntent({ id: `${tenantId}:pr-${i}`, tenantId, priority: i % 5 }),
      );
    }
  }

  it('joins the latest simulation, risk and policy of an intent', async () => {
    // Prepare
    const intent = await store.intents.create(
      anIntent({ id: 'o/r:pr-1', status: 'VALIDATED', retries: 1 }),
    );
    await addEvent('simulation.completed', intent.id, {
      mergeable: false,
      conflicts: ['a.py'],
      files_changed: ['a.py'],
    });
    await addEvent('simulation.completed', intent.id, {
      mergeable: true,
      conflicts: [],
      files_changed: ['a.py', 'b.py', 'c.py'],
    });
    await addEvent('risk.evaluated', intent.id, {
      risk_score: 41.5,
      damage_score: 30,
      entropy_score: 12,
      propagation_score: 44,
      containment_score: 0.6,
      signals: {
        entropic_load: 1,
        contextual_value: 2,
        complexity_delta: 3,
        path_dependence: 4,
      },
      bombs: [{ type: 'cascade' }, { type: 'spiral' }],
      graph_metrics: { nodes: 9, edges: 12, density: 0.1667 },
    });
    await addEvent('policy.evaluated', intent.id, {
      verdict: 'BLOCK',
      profile_used: 'high',
    });
    // Act
    const row = await decisionRow(deps, intent);
    // Assess
    expect(row).toEqual({
      intent_id: 'o/r:pr-1',
      status: 'VALIDATED',
      risk_level: 'medium',
      priority: 3,
      retries: 1,
      mergeable: true,
      conflict_count: 0,
      files_changed_count: 3,
      risk_score: 41.5,
      damage_score: 30,
      entropy_score: 12,
      propagation_score: 44,
      containment_score: 0.6,
      entropic_load: 1,
      contextual_value: 2,
      complexity_delta: 3,
      path_dependence: 4,
      bomb_count: 2,
      bomb_types: 'cascade,spiral',
      policy_verdict: 'BLOCK',
      profile_used: 'high',
      graph_nodes: 9,
      graph_edges: 12,
      graph_density: 0.1667,
      tenant_id: null,
      created_at: intent.createdAt,
    });
  });

  it('leaves the columns of missing evaluations empty', async () => {
    // Prepare
    const intent = await store.intents.create(anIntent({ id: 'bare' }));
    // Act
    const row = await decisionRow(deps, intent);
    // Assess
    expect(row).toMatchObject({
      mergeable: null,
      conflict_count: null,
      risk_score: null,
      bomb_count: null,
      bomb_types: null,
      policy_verdict: null,
      graph_density: null,
    });
  });

  it('streams page by page, reading no page before it is needed', async () => {
    // Prepare
    await seedIntents(250, 'acme');
    const list = vi.spyOn(store.intents, 'list');
    // Act
    const first = await decisionRows(deps, {
      tenantId: 'acme',
      pageSize: 100,
    }).next();
    const callsForFirstRow = list.mock.calls.length;
    const ids: string[] = [];
    for await (const row of decisionRows(deps, {
      tenantId: 'acme',
      pageSize: 100,
    })) {
      ids.push(row.intent_id);
    }
    // Assess
    expect(first.done).toBe(false);
    expect(callsForFirstRow).toBe(1);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(list.mock.calls.length - callsForFirstRow).toBe(3);
  });

  it('is tenant-scoped and records dataset.exported only on export', async () => {
    // Prepare
    await seedIntents(120, 'acme');
    await seedIntents(3, 'other');
    for await (const _row of decisionRows(deps, { tenantId: 'other' })) {
      // a read projection: drains without side effects
    }
    const before = await store.events.count({ type: 'dataset.exported' });
    const chunks: string[] = [];
    // Act
    const summary = await exportDecisions(
      deps,
      { tenantId: 'other', format: 'csv', actor: 'ana', pageSize: 2 },
      (chunk) => {
        chunks.push(chunk);
      },
    );
    // Assess
    expect(before).toBe(0);
    expect(summary).toMatchObject({
      format: 'csv',
      rows: 3,
      tenant_id: 'other',
    });
    expect(chunks).toHaveLength(4);
    expect(chunks.join('').split('\r\n').filter(Boolean)).toHaveLength(4);
    const page = await store.events.query({ type: 'dataset.exported' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: summary.event_id,
      tenantId: 'other',
      payload: { dataset: 'decisions', format: 'csv', rows: 3, actor: 'ana' },
    });
  });

  it('exports every tenant as JSON Lines for a null tenant', async () => {
    // Prepare
    await seedIntents(2, 'acme');
    await seedIntents(1, 'other');
    let text = '';
    // Act
    const summary = await exportDecisions(
      deps,
      { tenantId: null, format: 'jsonl' },
      (chunk) => {
        text += chunk;
      },
    );
    // Assess
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(summary.rows).toBe(3);
    expect(lines.map((l) => l.tenant_id).sort()).toEqual([
      'acme',
      'acme',
      'other',
    ]);
  });
});
