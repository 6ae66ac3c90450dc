import { describe, expect, it } from 'vitest';
import type { Intent } from '../../../../shared/domain/intent.js';
import {
  type ClaimEvidence,
  checkClaims,
} from '../../../../shared/domain/provenance/provenance-claims.js';
import {
  type ProvenanceRecord,
  recordHash,
  sealRecord,
} from '../../../../shared/domain/provenance/provenance-record.js';
import type { TraceFacts } from '../../../../shared/domain/provenance/trace-evidence.js';
import {
  formatVerification,
  type ProvenanceVerification,
} from '../../../../shared/domain/provenance/verify-provenance.js';
import type { StoredPolicy } from '../../../../shared/ports/store.js';
import { anIntent } from '../../../support/fixtures.js';

const sha = (c: string) => c.repeat(40);
const RECORDED_AT = '2030-01-01T00:10:00.000Z';

const FACTS: TraceFacts = {
  source_ref: 'feature/a',
  target_ref: 'main',
  head_sha: sha('a'),
  base_sha: sha('b'),
  merge_base_sha: sha('b'),
  tested_tree_sha: sha('c'),
  merged_sha: sha('d'),
  merged_tree_sha: sha('c'),
  required_checks: ['lint'],
  checks: [{ check_type: 'lint', status: 'passed', passed: true }],
  policy_verdict: 'ALLOW',
  profile_used: 'medium',
  risk_scores: {
    risk_score: 14.2,
    damage_score: 21.7,
    entropy_score: 7,
    propagation_score: 7.9,
    containment_score: 0.87,
  },
  risk_inputs: { files: ['a.py'], dependencies: [], scopes: ['src/'] },
  human_approvals: 1,
};

function aRecord(
  overrides: Partial<Omit<ProvenanceRecord, 'record_hash'>> = {},
): ProvenanceRecord {
  return sealRecord({
    schema: 'converge.provenance/v1',
    intent_id: 'A',
    tenant_id: 't1',
    trace_id: 'trace-1',
    source_ref: 'feature/a',
    target_ref: 'main',
    head_sha: sha('a'),
    base_sha: sha('b'),
    merge_base_sha: sha('b'),
    tested_tree_sha: sha('c'),
    merged_sha: sha('d'),
    merged_tree_sha: sha('c'),
    required_checks: ['lint'],
    checks: [{ check_type: 'lint', status: 'passed', passed: true }],
    policy: {
      risk_policy_version: 2,
      verdict: 'ALLOW',
      profile_used: 'medium',
    },
    risk: { inputs: FACTS.risk_inputs, scores: FACTS.risk_scores },
    approvals: { human_approvals: 1 },
    recorded_at: RECORDED_AT,
    prev_record_hash: 'e'.repeat(64),
    ...overrides,
  });
}

function policy(version: number, updatedAt: string): StoredPolicy {
  return { tenantId: 't1', data: {}, version, updatedAt };
}

function evidenceFor(
  record: ProvenanceRecord,
  overrides: Partial<ClaimEvidence> = {},
): ClaimEvidence {
  const intent: Intent = anIntent({
    id: 'A',
    tenantId: 't1',
    status: 'MERGED',
  });
  return {
    intent,
    facts: FACTS,
    storedHash: recordHash(record),
    previousHash: 'e'.repeat(64),
    git: { commit: sha('d'), tree: sha('c'), error: null },
    riskPolicy: policy(2, '2030-01-01T00:00:00.000Z'),
    ...overrides,
  };
}

const statusOf = (claims: ReturnType<typeof checkClaims>, name: string) =>
  claims.find((c) => c.name === name)?.status;

describe('provenance claims', () => {
  it('passes every claim of a consistent record', () => {
    // Prepare
    const record = aRecord();
    // Act
    const claims = checkClaims(record, evidenceFor(record));
    // Assess
    expect(claims.map((c) => c.name)).toEqual([
      'record_hash',
      'record_stored',
      'chain_link',
      'intent',
      'merged_sha',
      'head_sha',
      'base_sha',
      'refs',
      'tested_tree',
      'checks',
      'required_checks',
      'merged_commit',
      'merged_tree',
      'policy_verdict',
      'policy_version',
      'risk_scores',
      'risk_inputs',
      'approvals',
    ]);
    expect(claims.filter((c) => c.status === 'FAIL')).toEqual([]);
    expect(claims.every((c) => c.mismatch === undefined)).toBe(true);
  });

  it('gives expected, actual and mismatch for a failed claim', () => {
    // Prepare
    const record = aRecord({ head_sha: sha('9') });
    // Act
    const claims = checkClaims(record, evidenceFor(record));
    // Assess
    expect(claims.find((c) => c.name === 'head_sha')).toEqual({
      name: 'head_sha',
      status: 'FAIL',
      description: 'Head (source) commit is the one simulated',
      expected: sha('9'),
      actual: sha('a'),
      mismatch: 'The trace events say otherwise',
    });
  });

  it('fails a field missing from the record even against a gap', () => {
    // Prepare
    const { merge_base_sha: _gone, ...record } = aRecord();
    const facts = { ...FACTS, merge_base_sha: null };
    // Act
    const claims = checkClaims(record, evidenceFor(aRecord(), { facts }));
    // Assess
    expect(statusOf(claims, 'refs')).toBe('FAIL');
  });

  it("fails the tree claim when the record's merged tree is not the tested one", () => {
    // Prepare
    const record = aRecord({ merged_tree_sha: sha('7') });
    // Act
    const claim = checkClaims(record, evidenceFor(record)).find(
      (c) => c.name === 'merged_tree',
    );
    // Assess
    expect(claim?.status).toBe('FAIL');
    expect(claim?.mismatch).toContain('is not its tested tree');
  });

  it('reads the policy version as it was when the record was made', () => {
    // Prepare
    const before = '2030-01-01T00:00:00.000Z';
    const after = '2030-01-02T00:00:00.000Z';
    const check = (
      version: number | 'default',
      stored: StoredPolicy | null,
    ) => {
      const record = aRecord({
        policy: {
          risk_policy_version: version,
          verdict: 'ALLOW',
          profile_used: 'medium',
        },
      });
      const claims = checkClaims(
        record,
        evidenceFor(record, { riskPolicy: stored }),
      );
      return statusOf(claims, 'policy_version');
    };
    // Act / Assess
    expect(check('default', null)).toBe('PASS');
    expect(check(2, null)).toBe('FAIL');
    expect(check(2, policy(2, before))).toBe('PASS');
    expect(check(1, policy(2, before))).toBe('FAIL');
    expect(check(2, policy(3, after))).toBe('PASS');
    expect(check('default', policy(1, after))).toBe('PASS');
    expect(check(3, policy(3, after))).toBe('FAIL');
  });

  it('fails the git claims when git lacks the commit', () => {
    // Prepare
    const record = aRecord();
    const git = { commit: null, tree: null, error: 'unknown ref' };
    // Act
    const claims = checkClaims(record, evidenceFor(record, { git }));
    // Assess
    expect(statusOf(claims, 'merged_commit')).toBe('FAIL');
    expect(claims.find((c) => c.name === 'merged_tree')?.actual).toBe(
      'not found (unknown ref)',
    );
  });

  it('formats one line per claim, with details when verbose', () => {
    // Prepare
    const record = aRecord({ tested_tree_sha: sha('5') });
    const claims = checkClaims(record, evidenceFor(record));
    const result: ProvenanceVerification = {
      ok: false,
      intent_id: 'A',
      trace_id: 'trace-1',
      record_hash: record.record_hash,
      passed: claims.filter((c) => c.status === 'PASS').length,
      failed: claims.filter((c) => c.status === 'FAIL').length,
      claims,
    };
    // Act
    const short = formatVerification(result).split('\n');
    const long = formatVerification(result, { verbose: true });
    // Assess
    expect(short).toHaveLength(claims.length + 2);
    expect(short[0]).toMatch(/^\[PASS\] record_hash: [0-9a-f]{57}\.\.\. - /);
    expect(short).toContain(
      `[FAIL] tested_tree: ${sha('5')} - Tested tree is the simulation's tree`,
    );
    expect(short.at(-2)).toBe('16/18 claims passed: provenance NOT verified');
    expect(long).toContain(
      [
        `[FAIL] tested_tree: ${sha('5')} - Tested tree is the simulation's tree`,
        `        Expected: ${sha('5')}`,
        `        Actual:   ${sha('c')}`,
        '        Mismatch: The trace events say otherwise',
      ].join('\n'),
    );
  });
});
