/**
 * The claims of a provenance record, each checked against what the store
 * and git say now. Pure: `verifyProvenance` gathers the evidence.
 */
import type { StoredPolicy } from '../../ports/store.js';
import { objectAt, stringAt } from '../audit/payload-read.js';
import type { Intent, JsonObject } from '../intent.js';
import { claim, type ProvenanceClaim, show } from './claim.js';
import { recordHash } from './provenance-record.js';
import type { TraceFacts } from './trace-evidence.js';

/** The merged commit as git knows it (null fields when unknown). */
export interface GitFacts {
  commit: string | null;
  tree: string | null;
  error: string | null;
}

/** Everything the claims are checked against. */
export interface ClaimEvidence {
  intent: Intent | null;
  facts: TraceFacts;
  /**
   * The content hash of the stored record carrying the same `record_hash`,
   * null when none is stored.
   */
  storedHash: string | null;
  /** The tenant's previous record hash; undefined when not locatable. */
  previousHash: string | null | undefined;
  git: GitFacts;
  riskPolicy: StoredPolicy | null;
}

function integrityClaims(
  record: JsonObject,
  e: ClaimEvidence,
): ProvenanceClaim[] {
  const hash = stringAt(record, 'record_hash');
  return [
    claim(
      'record_hash',
      'Record hash matches its content',
      hash,
      recordHash(record),
      'The record was changed after it was sealed',
    ),
    claim(
      'record_stored',
      'The event log holds this exact record (provenance.recorded)',
      recordHash(record),
      e.storedHash ?? 'not found',
      'The stored record differs, or none carries this record_hash',
    ),
    claim(
      'chain_link',
      "Previous-record hash links to the tenant's chain",
      record.prev_record_hash,
      e.previousHash === undefined
        ? 'unknown (record not stored)'
        : e.previousHash,
      "prev_record_hash is not the tenant's previous record",
    ),
    claim(
      'intent',
      "Intent exists, is MERGED, in the record's tenant",
      { id: record.intent_id, status: 'MERGED', tenant_id: record.tenant_id },
      e.intent
        ? {
            id: e.intent.id,
            status: e.intent.status,
            tenant_id: e.intent.tenantId,
          }
        : 'not found',
      'The intent is missing, not merged, or in another tenant',
    ),
  ];
}

function traceClaims(record: JsonObject, f: TraceFacts): ProvenanceClaim[] {
  const changed = 'The trace events say otherwise';
  return [
    claim(
      'merged_sha',
      "Merged commit is the trace's intent.merged",
      record.merged_sha,
      f.merged_sha,
      changed,
    ),
    claim(
      'head_sha',
      'Head (source) commit is the one simulated',
      record.head_sha,
      f.head_sha,
      changed,
    ),
    claim(
      'base_sha',
      'Base (target) tip is the one simulated on',
      record.base_sha,
      f.base_sha,
      changed,
    ),
    claim(
      'refs',
      'Source, target and merge base match the simulation',
      {
        source: record.source_ref,
        target: record.target_ref,
        merge_base: record.merge_base_sha,
      },
      {
        source: f.source_ref,
        target: f.target_ref,
        merge_base: f.merge_base_sha,
      },
      changed,
    ),
    claim(
      'tested_tree',
      "Tested tree is the simulation's tree",
      record.tested_tree_sha,
      f.tested_tree_sha,
      changed,
    ),
    claim(
      'checks',
      'Check results match check.completed',
      record.checks,
      f.checks,
      changed,
    ),
    claim(
      'required_checks',
      'Required checks match policy.evaluated',
      record.required_checks,
      f.required_checks,
      changed,
    ),
  ];
}

function policyVersionClaim(
  record: JsonObject,
  stored: StoredPolicy | null,
): ProvenanceClaim {
  const name = 'policy_version';
  const description = 'Risk policy version in force at record time';
  const expected = objectAt(record, 'policy').risk_policy_version;
  const mismatch = 'The tenant risk policy had another version';
  if (!stored) return claim(name, description, expected, 'default', mismatch);
  const recordedAt = Date.parse(stringAt(record, 'recorded_at') ?? '');
  if (!(Date.parse(stored.updatedAt) > recordedAt)) {
    return claim(name, description, expected, stored.version, mismatch);
  }
  // Updated since: only an older version (or none) is consistent.
  const older =
    expected === 'default' ||
    (typeof expected === 'number' && expected < stored.version);
  return {
    name,
    status: older ? 'PASS' : 'FAIL',
    description,
    expected: show(expected),
    actual: `${stored.version} (updated ${stored.updatedAt}, after the record)`,
    ...(older ? {} : { mismatch }),
  };
}

function policyAndRiskClaims(
  record: JsonObject,
  e: ClaimEvidence,
): ProvenanceClaim[] {
  const policy = objectAt(record, 'policy');
  const risk = objectAt(record, 'risk');
  const changed = 'The trace events say otherwise';
  return [
    claim(
      'policy_verdict',
      'Verdict and profile match policy.evaluated',
      { verdict: policy.verdict, profile_used: policy.profile_used },
      { verdict: e.facts.policy_verdict, profile_used: e.facts.profile_used },
      changed,
    ),
    policyVersionClaim(record, e.riskPolicy),
    claim(
      'risk_scores',
      'Risk scores match risk.evaluated',
      risk.scores,
      e.facts.risk_scores,
      changed,
    ),
    claim(
      'risk_inputs',
      'Risk inputs (files, dependencies, scopes) match',
      risk.inputs,
      e.facts.risk_inputs,
      changed,
    ),
    claim(
      'approvals',
      'Human approvals match the agent gate / intent',
      objectAt(record, 'approvals').human_approvals,
      e.facts.human_approvals,
      'The approvals differ',
    ),
  ];
}

function gitClaims(record: JsonObject, git: GitFacts): ProvenanceClaim[] {
  const unknown = `not found${git.error ? ` (${git.error})` : ''}`;
  const tree = claim(
    'merged_tree',
    "Merged commit's tree (git) is the tested tree",
    record.tested_tree_sha,
    git.tree ?? unknown,
    'git merged a different tree than the one tested',
  );
  const claimed = record.merged_tree_sha;
  if (tree.status === 'PASS' && claimed !== record.tested_tree_sha) {
    tree.status = 'FAIL';
    tree.mismatch = `The record's merged_tree_sha ${show(claimed)} is not its tested tree`;
  }
  return [
    claim(
      'merged_commit',
      'Merged commit exists in git',
      record.merged_sha,
      git.commit ?? unknown,
      'git does not have the merged commit',
    ),
    tree,
  ];
}

/**
 * Every claim of `record`, in a stable order: integrity, trace, git,
 * policy and risk.
 */
export function checkClaims(
  record: JsonObject,
  evidence: ClaimEvidence,
): ProvenanceClaim[] {
  return [
    ...integrityClaims(record, evidence),
    ...traceClaims(record, evidence.facts),
    ...gitClaims(record, evidence.git),
    ...policyAndRiskClaims(record, evidence),
  ];
}
