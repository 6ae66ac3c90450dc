/**
 * The provenance record of a merge (PRODUCT "Beyond the original" 2): what
 * was merged, on what evidence, under which policy, hash-chained per tenant.
 */
import type { Store } from '../../ports/store.js';
import { canonicalJson, sha256Hex } from '../audit/canonical-json.js';
import { stringAt } from '../audit/payload-read.js';
import {
  findNewestEvent,
  isBefore,
  scopeFilter,
} from '../audit/scope-events.js';
import type { ConvergeEvent } from '../event.js';
import type { JsonObject } from '../intent.js';
import type {
  CheckFact,
  RiskInputFacts,
  RiskScoreFacts,
} from './trace-evidence.js';

/** The record format; bumped on any incompatible change. */
export const PROVENANCE_SCHEMA = 'converge.provenance/v1';

/** The tenant risk policy's stored version, or `default` when none. */
export type RiskPolicyVersion = number | 'default';

/**
 * A provenance record: the payload of `provenance.recorded`. A type alias
 * (not an interface) so it is a JSON object.
 */
export type ProvenanceRecord = {
  schema: string;
  intent_id: string;
  tenant_id: string | null;
  trace_id: string;
  source_ref: string | null;
  target_ref: string | null;
  /** The source (head) commit that was tested. */
  head_sha: string;
  /** The target (base) tip it was tested on. */
  base_sha: string;
  merge_base_sha: string | null;
  /** The tree of the simulated merge that was tested. */
  tested_tree_sha: string;
  merged_sha: string;
  /** The merged commit's tree; the record claims it equals the tested one. */
  merged_tree_sha: string;
  required_checks: string[];
  checks: CheckFact[];
  policy: {
    risk_policy_version: RiskPolicyVersion;
    verdict: string | null;
    profile_used: string | null;
  };
  risk: { inputs: RiskInputFacts; scores: RiskScoreFacts };
  approvals: { human_approvals: number | null };
  recorded_at: string;
  /** The tenant's previous record, or null for its first. */
  prev_record_hash: string | null;
  /** SHA-256 of the canonical JSON of every other field. */
  record_hash: string;
};

/**
 * The hash a record must carry: SHA-256 of the canonical JSON of the record
 * without its `record_hash` field.
 * @example
 * recordHash(record) === record.record_hash; // an untouched record
 */
export function recordHash(record: JsonObject): string {
  const { record_hash: _ignored, ...body } = record;
  return sha256Hex(canonicalJson(body));
}

/** Adds `record_hash` to a record body. */
export function sealRecord(
  body: Omit<ProvenanceRecord, 'record_hash'>,
): ProvenanceRecord {
  return { ...body, record_hash: recordHash(body) };
}

function inScope(tenantId: string | null) {
  return (event: ConvergeEvent) => tenantId !== null || event.tenantId === null;
}

/**
 * The `provenance.recorded` event of an intent carrying `hash`; the newest
 * of the intent when `hash` is omitted. Null when none.
 */
export function findRecordEvent(
  store: Store,
  intentId: string,
  hash?: string,
): Promise<ConvergeEvent | null> {
  return findNewestEvent(
    store,
    { type: 'provenance.recorded', intentId },
    (event) =>
      hash === undefined || stringAt(event.payload, 'record_hash') === hash,
  );
}

/**
 * The hash of the tenant's newest record before `before` in log order (the
 * newest of all without `before`); null when there is none: the link a
 * record's `prev_record_hash` must equal.
 */
export async function previousRecordHash(
  store: Store,
  tenantId: string | null,
  before?: ConvergeEvent,
): Promise<string | null> {
  const scoped = inScope(tenantId);
  const until =
    before === undefined
      ? {}
      : { until: new Date(Date.parse(before.timestamp) + 1).toISOString() };
  const previous = await findNewestEvent(
    store,
    { type: 'provenance.recorded', ...scopeFilter(tenantId), ...until },
    (event) =>
      scoped(event) && (before === undefined || isBefore(event, before)),
  );
  return previous ? stringAt(previous.payload, 'record_hash') : null;
}
