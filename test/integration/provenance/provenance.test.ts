import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  initChain,
  verifyChain,
} from '../../../shared/domain/audit/hash-chain.js';
import type { ConvergeEvent } from '../../../shared/domain/event.js';
import {
  type ProvenanceRecord,
  recordHash,
} from '../../../shared/domain/provenance/provenance-record.js';
import {
  getProvenance,
  recordProvenance,
} from '../../../shared/domain/provenance/record-provenance.js';
import {
  formatVerification,
  verifyProvenance,
} from '../../../shared/domain/provenance/verify-provenance.js';
import {
  openProvenanceHarness,
  type ProvenanceHarness,
} from './provenance-harness.js';

const admin = { actor: 'test', tenantId: null, role: 'admin' as const };

function failing(result: Awaited<ReturnType<typeof verifyProvenance>>) {
  return result.claims.filter((c) => c.status === 'FAIL').map((c) => c.name);
}

describe('provenance of a real merge', () => {
  let h: ProvenanceHarness;
  beforeEach(() => {
    h = openProvenanceHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function eventOf(intentId: string, type: ConvergeEvent['type']) {
    const page = await h.deps.store.events.query({ intentId, type });
    const event = page.items[0];
    if (!event) throw new Error(`no ${type} for ${intentId}`);
    return event;
  }

  it('records a provenance record whose every claim passes', async () => {
    // Prepare / Act
    const decision = await h.mergeBranch('A', { 'a.py': 'x\n' });
    // Assess
    expect(decision).toMatchObject({ decision: 'merged', reason: 'Merged' });
    const record = await getProvenance(h.deps, admin, 'A');
    expect(record).toMatchObject({
      intent_id: 'A',
      trace_id: decision.traceId,
      merged_sha: h.repo.sha('main'),
      head_sha: h.repo.sha('feature/A'),
      base_sha: h.repo.sha('main^1'),
      tested_tree_sha: h.repo.sha('main^{tree}'),
      merged_tree_sha: h.repo.sha('main^{tree}'),
      required_checks: ['lint'],
      checks: [{ check_type: 'lint', status: 'passed', passed: true }],
      policy: { risk_policy_version: 'default', verdict: 'ALLOW' },
      prev_record_hash: null,
    });
    expect(record.risk.inputs.files).toEqual(['a.py']);
    expect(record.record_hash).toBe(recordHash(record));
    const result = await verifyProvenance(h.deps, record);
    expect(failing(result)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.claims.length).toBeGreaterThanOrEqual(10);
  });

  it('chains the records of a tenant and stays idempotent per trace', async () => {
    // Prepare
    const first = await h.mergeBranch(
      'A',
      { 'a.py': 'x\n' },
      { tenantId: 't1' },
    );
    await h.mergeBranch('B', { 'b.py': 'y\n' }, { tenantId: 't1' });
    const recordA = await getProvenance(h.deps, admin, 'A');
    const recordB = await getProvenance(h.deps, admin, 'B');
    // Act
    const again = await recordProvenance(h.deps, {
      intentId: 'A',
      traceId: first.traceId,
      mergedSha: recordA.merged_sha,
    });
    const result = await verifyProvenance(h.deps, recordB);
    // Assess
    expect(recordB.prev_record_hash).toBe(recordA.record_hash);
    expect(again).toEqual(recordA);
    expect(failing(result)).toEqual([]);
    const recorded = await h.deps.store.events.query({
      type: 'provenance.recorded',
    });
    expect(recorded.items).toHaveLength(2);
  });

  it('names the tampered field of a record', async () => {
    // Prepare
    await h.mergeBranch('A', { 'a.py': 'x\n' });
    const record = await getProvenance(h.deps, admin, 'A');
    const forged: ProvenanceRecord = {
      ...record,
      tested_tree_sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    };
    // Act
    const result = await verifyProvenance(h.deps, forged);
    const text = formatVerification(result, { verbose: true });
    // Assess
    expect(result.ok).toBe(false);
    expect(failing(result)).toEqual([
      'record_hash',
      'record_stored',
      'tested_tree',
      'merged_tree',
    ]);
    expect(text).toContain(
      '[FAIL] tested_tree: 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    );
    expect(text).toContain(`Actual:   ${record.tested_tree_sha}`);
    expect(text).toContain('Mismatch: The trace events say otherwise');
    expect(text).toContain('[PASS] head_sha');
  });

  it('catches a re-sealed forgery through the stored copy', async () => {
    // Prepare
    await h.mergeBranch('A', { 'a.py': 'x\n' });
    const record = await getProvenance(h.deps, admin, 'A');
    const { record_hash: _old, ...body } = {
      ...record,
      approvals: { human_approvals: 2 },
    };
    const forged = { ...body, record_hash: recordHash(body) };
    // Act
    const result = await verifyProvenance(h.deps, forged);
    // Assess
    expect(failing(result)).toEqual([
      'record_stored',
      'chain_link',
      'approvals',
    ]);
  });

  it('fails the git claims for a merged commit git does not have', async () => {
    // Prepare
    await h.mergeBranch('A', { 'a.py': 'x\n' });
    const record = await getProvenance(h.deps, admin, 'A');
    h.repo.git('reset', '-q', '--hard', 'main^1');
    h.repo.git('reflog', 'expire', '--expire=now', '--all');
    h.repo.git('gc', '-q', '--prune=now');
    // Act
    const result = await verifyProvenance(h.deps, record);
    // Assess
    expect(failing(result)).toEqual(['merged_commit', 'merged_tree']);
  });

  it('detects a modified event through the chain and the record', async () => {
    // Prepare
    await h.mergeBranch('A', { 'a.py': 'x\n' });
    await h.mergeBranch('B', { 'b.py': 'y\n' });
    const init = await initChain(h.deps, null);
    const sim = await eventOf('A', 'simulation.completed');
    h.sql(
      "UPDATE events SET payload = json_set(payload, '$.tree_sha', ?) WHERE id = ?",
      'f'.repeat(40),
      sim.id,
    );
    // Act
    const chain = await verifyChain(h.deps, null);
    const result = await verifyProvenance(
      h.deps,
      await getProvenance(h.deps, admin, 'A'),
    );
    // Assess
    expect(init).toMatchObject({
      sealed: init.count,
      checkpoint_ids: [expect.any(String)],
    });
    expect(init.count).toBeGreaterThan(10);
    expect(chain).toMatchObject({ ok: false, first_bad_event_id: sim.id });
    expect(chain.reason).toContain('modified');
    expect(failing(result)).toEqual(['tested_tree']);
    const alarms = await h.deps.store.events.query({
      type: 'audit.chain.tamper_detected',
    });
    expect(alarms.items[0]?.payload.first_bad_event_id).toBe(sim.id);
  });

  it('detects a deleted event and passes an untouched log', async () => {
    // Prepare
    await h.mergeBranch('A', { 'a.py': 'x\n' });
    await initChain(h.deps, null);
    const clean = await verifyChain(h.deps, null);
    const merged = await eventOf('A', 'intent.merged');
    h.sql('DELETE FROM events WHERE id = ?', merged.id);
    // Act
    const chain = await verifyChain(h.deps, null);
    // Assess
    // The checkpoint itself is sealed by the next init.
    expect(clean).toMatchObject({ ok: true, unsealed: 1 });
    expect(chain).toMatchObject({ ok: false, first_bad_event_id: merged.id });
    expect(chain.reason).toContain('deleted');
    expect(chain.unsealed).toBe(2);
  });
});
