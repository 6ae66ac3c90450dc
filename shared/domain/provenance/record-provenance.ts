import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { buildEvent, type IdSource } from '../event.js';
import type { Intent } from '../intent.js';
import { type Actor, getIntent } from '../intents/intent-service.js';
import {
  findRecordEvent,
  PROVENANCE_SCHEMA,
  type ProvenanceRecord,
  previousRecordHash,
  type RiskPolicyVersion,
  sealRecord,
} from './provenance-record.js';
import {
  readTraceEvidence,
  type TraceFacts,
  traceFacts,
} from './trace-evidence.js';

/** What recording needs. */
export interface ProvenanceDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

/** Which merge to record. */
export interface RecordProvenanceInput {
  intentId: string;
  /** The trace of the validation that preceded the merge. */
  traceId: string;
  mergedSha: string;
}

const LOCK_TTL_MS = 30_000;
const LOCK_ATTEMPTS = 100;
const LOCK_WAIT_MS = 20;

/** The tenant risk policy's stored version, else `default`. */
export async function riskPolicyVersion(
  store: Store,
  tenantId: string | null,
): Promise<RiskPolicyVersion> {
  if (tenantId === null) return 'default';
  const stored = await store.policies.getRiskPolicy(tenantId);
  return stored ? stored.version : 'default';
}

function requireFact(value: string | null, what: string): string {
  if (value !== null) return value;
  throw new ValidationError(`The merge trace has no ${what}`);
}

async function buildRecord(
  deps: ProvenanceDeps,
  intent: Intent,
  input: RecordProvenanceInput,
  facts: TraceFacts,
): Promise<ProvenanceRecord> {
  const mergedSha = requireFact(facts.merged_sha, 'intent.merged event');
  if (mergedSha !== input.mergedSha) {
    throw new ValidationError(
      `Merged commit ${input.mergedSha} is not the trace's ${mergedSha}`,
    );
  }
  return sealRecord({
    schema: PROVENANCE_SCHEMA,
    intent_id: intent.id,
    tenant_id: intent.tenantId,
    trace_id: input.traceId,
    source_ref: facts.source_ref,
    target_ref: facts.target_ref,
    head_sha: requireFact(facts.head_sha, 'source sha'),
    base_sha: requireFact(facts.base_sha, 'target sha'),
    merge_base_sha: facts.merge_base_sha,
    tested_tree_sha: requireFact(facts.tested_tree_sha, 'tested tree'),
    merged_sha: mergedSha,
    merged_tree_sha: requireFact(facts.merged_tree_sha, 'merged tree'),
    required_checks: facts.required_checks,
    checks: facts.checks,
    policy: {
      risk_policy_version: await riskPolicyVersion(deps.store, intent.tenantId),
      verdict: facts.policy_verdict,
      profile_used: facts.profile_used,
    },
    risk: { inputs: facts.risk_inputs, scores: facts.risk_scores },
    approvals: { human_approvals: facts.human_approvals },
    recorded_at: deps.clock.nowIso(),
    prev_record_hash: await previousRecordHash(deps.store, intent.tenantId),
  });
}

/** Serialises the tenant's chain: read the previous hash, then append. */
async function withChainLock<T>(
  deps: ProvenanceDeps,
  tenantId: string | null,
  work: () => Promise<T>,
): Promise<T> {
  const name = `provenance-chain:${tenantId ?? '*'}`;
  const holder = `prov-${deps.ids.hex(12)}`;
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt += 1) {
    if (await deps.store.locks.acquire(name, holder, LOCK_TTL_MS)) {
      try {
        return await work();
      } finally {
        await deps.store.locks.release(name, holder);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS));
  }
  throw new ConflictError(`Provenance chain of ${tenantId ?? '*'} is busy`);
}

/**
 * Records the provenance of a merge: binds intent, trace, head / base /
 * tested-tree / merged SHAs, checks, policy version and verdict, risk inputs
 * and scores, and approvals, chained to the tenant's previous record, and
 * appends it as `provenance.recorded`. Idempotent per (intent, trace).
 * @throws NotFoundError for an unknown intent; ValidationError when the
 *   trace lacks the evidence of a merge or names another merged commit;
 *   ConflictError when the tenant's chain stays locked.
 * @example
 * const record = await recordProvenance(deps, { intentId, traceId, mergedSha });
 */
export async function recordProvenance(
  deps: ProvenanceDeps,
  input: RecordProvenanceInput,
): Promise<ProvenanceRecord> {
  const intent = await deps.store.intents.get(input.intentId);
  if (!intent) throw new NotFoundError(`Intent ${input.intentId} not found`);
  return withChainLock(deps, intent.tenantId, async () => {
    const existing = await findRecordEvent(deps.store, intent.id);
    if (existing?.traceId === input.traceId) {
      return existing.payload as ProvenanceRecord;
    }
    const evidence = await readTraceEvidence(
      deps.store,
      intent.id,
      input.traceId,
    );
    const facts = traceFacts(evidence, intent);
    const record = await buildRecord(deps, intent, input, facts);
    const event = buildEvent(
      {
        type: 'provenance.recorded',
        traceId: input.traceId,
        intentId: intent.id,
        tenantId: intent.tenantId,
        payload: record,
        evidence: { record_hash: record.record_hash },
      },
      deps.ids,
      record.recorded_at,
    );
    await deps.store.events.append(event);
    return record;
  });
}

/**
 * The newest provenance record of an intent the actor may read.
 * @throws NotFoundError when the intent or its record is missing;
 *   ForbiddenError across tenants.
 */
export async function getProvenance(
  deps: Pick<ProvenanceDeps, 'store'>,
  actor: Actor,
  intentId: string,
): Promise<ProvenanceRecord> {
  await getIntent(deps, actor, intentId);
  const event = await findRecordEvent(deps.store, intentId);
  if (!event) {
    throw new NotFoundError(`No provenance record for intent ${intentId}`);
  }
  return event.payload as ProvenanceRecord;
}
