import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../shared/domain/errors.js';
import { buildEvent, type EventType } from '../../../../shared/domain/event.js';
import type { JsonObject } from '../../../../shared/domain/intent.js';
import { recordHash } from '../../../../shared/domain/provenance/provenance-record.js';
import {
  getProvenance,
  recordProvenance,
} from '../../../../shared/domain/provenance/record-provenance.js';
import { verifyProvenance } from '../../../../shared/domain/provenance/verify-provenance.js';
import type { Scm } from '../../../../shared/ports/scm.js';
import { anIntent, SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

const sha = (c: string) => c.repeat(40);

/** An Scm whose every commit has `tree` (what verification asks git). */
function gitWith(tree: string): Scm {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    simulateMerge: async (source) => ({
      mergeable: true,
      conflicts: [],
      filesChanged: [],
      sourceSha: source,
      targetSha: source,
      mergeBaseSha: source,
      treeSha: tree,
    }),
    changedFiles: unused,
    headSha: unused,
    treeOf: async () => tree,
    merge: unused,
    coChangeHistory: unused,
    commitLog: unused,
  };
}

describe('recordProvenance', () => {
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

  async function add(
    type: EventType,
    intentId: string,
    traceId: string,
    payload: JsonObject,
  ) {
    await store.events.append(
      buildEvent(
        { type, intentId, traceId, payload },
        deps.ids,
        clock.advance(5),
      ),
    );
  }

  /** A merged intent whose trace holds simulation, check, risk, policy, merge. */
  async function mergedIntent(id: string, tenantId: string | null) {
    await store.intents.create(
      anIntent({
        id,
        tenantId,
        status: 'MERGED',
        dependencies: ['dep-1'],
        technical: { human_approvals: 2 },
      }),
    );
    const trace = `trace-${id}`;
    await add('simulation.completed', id, trace, {
      mergeable: true,
      files_changed: ['a.py', 'b.py'],
      source: `feature/${id}`,
      target: 'main',
      source_sha: sha('a'),
      target_sha: sha('b'),
      merge_base_sha: sha('b'),
      tree_sha: sha('c'),
    });
    await add('check.completed', id, trace, {
      check_type: 'lint',
      passed: true,
      status: 'passed',
    });
    await add('risk.evaluated', id, trace, {
      risk_score: 10,
      damage_score: 20,
      entropy_score: 5,
      propagation_score: 6,
      containment_score: 0.9,
      impact_edges: [
        { source: id, target: 'dep-1', type: 'depends_on', weight: 0.8 },
        { source: id, target: 'src/', type: 'touches_scope', weight: 0.5 },
        { source: id, target: 'a.py', type: 'modifies_file', weight: 0.3 },
      ],
    });
    await add('policy.evaluated', id, trace, {
      verdict: 'ALLOW',
      profile_used: 'medium',
      required_checks: ['lint'],
    });
    await add('intent.merged', id, trace, {
      merged_commit: sha('d'),
      tree_sha: sha('c'),
      target_sha: sha('b'),
      source_sha: sha('a'),
    });
    return { intentId: id, traceId: trace, mergedSha: sha('d') };
  }

  it('binds the trace facts, approvals and tenant policy version', async () => {
    // Prepare
    const input = await mergedIntent('A', 't1');
    await store.policies.upsertRiskPolicy('t1', { max_risk_score: 50 });
    // Act
    const record = await recordProvenance(deps, input);
    // Assess
    expect(record).toMatchObject({
      intent_id: 'A',
      tenant_id: 't1',
      head_sha: sha('a'),
      base_sha: sha('b'),
      tested_tree_sha: sha('c'),
      merged_sha: sha('d'),
      merged_tree_sha: sha('c'),
      required_checks: ['lint'],
      policy: { risk_policy_version: 1, verdict: 'ALLOW' },
      risk: {
        inputs: {
          files: ['a.py', 'b.py'],
          dependencies: ['dep-1'],
          scopes: ['src/'],
        },
        scores: { risk_score: 10, containment_score: 0.9 },
      },
      approvals: { human_approvals: 2 },
      prev_record_hash: null,
      recorded_at: clock.nowIso(),
    });
    expect(record.record_hash).toBe(recordHash(record));
    const stored = await store.events.query({ type: 'provenance.recorded' });
    expect(stored.items[0]).toMatchObject({
      traceId: 'trace-A',
      intentId: 'A',
      tenantId: 't1',
      payload: record,
    });
  });

  it('chains each tenant separately', async () => {
    // Prepare
    const a = await recordProvenance(deps, await mergedIntent('A', 't1'));
    const other = await recordProvenance(deps, await mergedIntent('X', 't2'));
    const global = await recordProvenance(deps, await mergedIntent('N', null));
    // Act
    const b = await recordProvenance(deps, await mergedIntent('B', 't1'));
    const global2 = await recordProvenance(deps, await mergedIntent('M', null));
    // Assess
    expect(other.prev_record_hash).toBeNull();
    expect(global.prev_record_hash).toBeNull();
    expect(b.prev_record_hash).toBe(a.record_hash);
    expect(global2.prev_record_hash).toBe(global.record_hash);
  });

  it('verifies the store claims of a record made from the trace', async () => {
    // Prepare
    await recordProvenance(deps, await mergedIntent('A', 't1'));
    const record = await recordProvenance(deps, await mergedIntent('B', 't1'));
    // Act
    const result = await verifyProvenance(
      { store, scm: gitWith(sha('c')) },
      record,
    );
    // Assess
    expect(result.claims.filter((c) => c.status === 'FAIL')).toEqual([]);
  });

  it('refuses a merged sha the trace does not name, or a trace without a merge', async () => {
    // Prepare
    const input = await mergedIntent('A', 't1');
    await store.intents.create(anIntent({ id: 'C', status: 'MERGED' }));
    // Act / Assess
    await expect(
      recordProvenance(deps, { ...input, mergedSha: sha('e') }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      recordProvenance(deps, {
        intentId: 'C',
        traceId: 'trace-none',
        mergedSha: sha('d'),
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      recordProvenance(deps, { ...input, intentId: 'missing' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('serves the record to readers of its tenant only', async () => {
    // Prepare
    await recordProvenance(deps, await mergedIntent('A', 't1'));
    const viewer = (tenantId: string) => ({
      actor: 'v',
      tenantId,
      role: 'viewer' as const,
    });
    // Act / Assess
    await expect(getProvenance(deps, viewer('t1'), 'A')).resolves.toMatchObject(
      {
        intent_id: 'A',
      },
    );
    await expect(getProvenance(deps, viewer('t2'), 'A')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await store.intents.create(anIntent({ id: 'Z', tenantId: 't1' }));
    await expect(getProvenance(deps, viewer('t1'), 'Z')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('refuses to verify something that is not a record', async () => {
    // Prepare
    const scm = gitWith(sha('c'));
    // Act / Assess
    await expect(
      verifyProvenance({ store, scm }, { foo: 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
