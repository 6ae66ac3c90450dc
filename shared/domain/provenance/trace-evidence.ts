/**
 * The evidence one merge left in the log: the events of its trace, and the
 * facts a provenance record states about them. Recording and verification
 * derive the facts the same way, so a record verifies exactly when the log
 * still says what it said at merge time.
 */
import type { Store } from '../../ports/store.js';
import {
  booleanAt,
  numberAt,
  objectsAt,
  stringAt,
  stringsAt,
} from '../audit/payload-read.js';
import { readAllEvents } from '../audit/scope-events.js';
import type { Intent, JsonObject } from '../intent.js';

/** One required check's result on the tested commit. */
export type CheckFact = {
  check_type: string;
  status: string;
  passed: boolean;
};

/** The five composite risk scores. */
export type RiskScoreFacts = {
  risk_score: number | null;
  damage_score: number | null;
  entropy_score: number | null;
  propagation_score: number | null;
  containment_score: number | null;
};

/** What the risk model was fed. */
export type RiskInputFacts = {
  files: string[];
  dependencies: string[];
  scopes: string[];
};

/** The payloads of one trace, newest of each type (null when absent). */
export interface TraceEvidence {
  simulation: JsonObject | null;
  checks: CheckFact[];
  risk: JsonObject | null;
  policy: JsonObject | null;
  merged: JsonObject | null;
  agent: JsonObject | null;
}

/** The facts of a record that come from the trace and the intent. */
export type TraceFacts = {
  source_ref: string | null;
  target_ref: string | null;
  head_sha: string | null;
  base_sha: string | null;
  merge_base_sha: string | null;
  tested_tree_sha: string | null;
  merged_sha: string | null;
  merged_tree_sha: string | null;
  required_checks: string[];
  checks: CheckFact[];
  policy_verdict: string | null;
  profile_used: string | null;
  risk_scores: RiskScoreFacts;
  risk_inputs: RiskInputFacts;
  human_approvals: number | null;
};

function checkFact(payload: JsonObject): CheckFact {
  const status = stringAt(payload, 'status') ?? 'unknown';
  return {
    check_type: stringAt(payload, 'check_type') ?? 'unknown',
    status,
    passed: booleanAt(payload, 'passed') ?? status === 'passed',
  };
}

/** Checks sorted by name, so order never makes two lists differ. */
export function sortChecks(checks: readonly CheckFact[]): CheckFact[] {
  return [...checks].sort((x, y) =>
    x.check_type < y.check_type ? -1 : x.check_type > y.check_type ? 1 : 0,
  );
}

/**
 * The events of `traceId` for `intentId`, newest of each type; every
 * `check.completed` of the trace (newest per check name).
 */
export async function readTraceEvidence(
  store: Store,
  intentId: string,
  traceId: string,
): Promise<TraceEvidence> {
  const events = await readAllEvents(store, { intentId, traceId });
  const newest = (type: string) =>
    events.find((e) => e.type === type)?.payload ?? null;
  const checks = new Map<string, CheckFact>();
  for (const event of events) {
    if (event.type !== 'check.completed') continue;
    const fact = checkFact(event.payload);
    if (!checks.has(fact.check_type)) checks.set(fact.check_type, fact);
  }
  return {
    simulation: newest('simulation.completed'),
    checks: sortChecks([...checks.values()]),
    risk: newest('risk.evaluated'),
    policy: newest('policy.evaluated'),
    merged: newest('intent.merged'),
    agent: newest('agent.authorized'),
  };
}

function edgeTargets(risk: JsonObject, type: string): string[] {
  return objectsAt(risk, 'impact_edges')
    .filter((edge) => edge.type === type)
    .map((edge) => stringAt(edge, 'target'))
    .filter((target): target is string => target !== null);
}

function riskFacts(risk: JsonObject, simulation: JsonObject) {
  return {
    risk_scores: {
      risk_score: numberAt(risk, 'risk_score'),
      damage_score: numberAt(risk, 'damage_score'),
      entropy_score: numberAt(risk, 'entropy_score'),
      propagation_score: numberAt(risk, 'propagation_score'),
      containment_score: numberAt(risk, 'containment_score'),
    },
    // The risk payload keeps every dependency and scope as impact edges but
    // only the first 20 files; the simulation keeps every file.
    risk_inputs: {
      files: stringsAt(simulation, 'files_changed'),
      dependencies: edgeTargets(risk, 'depends_on'),
      scopes: edgeTargets(risk, 'touches_scope'),
    },
  };
}

/** Approvals: the agent gate's count on the trace, else the intent's. */
function approvalsOf(evidence: TraceEvidence, intent: Intent | null) {
  if (evidence.agent) return numberAt(evidence.agent, 'human_approvals');
  const value = intent?.technical.human_approvals;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * The facts a record states, derived from the trace (and, for approvals
 * without an agent gate, the intent).
 */
export function traceFacts(
  evidence: TraceEvidence,
  intent: Intent | null,
): TraceFacts {
  const sim = evidence.simulation ?? {};
  const merged = evidence.merged ?? {};
  const policy = evidence.policy ?? {};
  return {
    source_ref: stringAt(sim, 'source'),
    target_ref: stringAt(sim, 'target'),
    head_sha: stringAt(sim, 'source_sha'),
    base_sha: stringAt(sim, 'target_sha'),
    merge_base_sha: stringAt(sim, 'merge_base_sha'),
    tested_tree_sha: stringAt(sim, 'tree_sha'),
    merged_sha: stringAt(merged, 'merged_commit'),
    merged_tree_sha: stringAt(merged, 'tree_sha'),
    required_checks: stringsAt(policy, 'required_checks'),
    checks: evidence.checks,
    policy_verdict: stringAt(policy, 'verdict'),
    profile_used: stringAt(policy, 'profile_used'),
    ...riskFacts(evidence.risk ?? {}, sim),
    human_approvals: approvalsOf(evidence, intent),
  };
}
