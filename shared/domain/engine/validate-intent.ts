import type { CheckResult } from '../../ports/checks.js';
import type { MergeSimulation } from '../../ports/scm.js';
import type { OutboxInput } from '../../ports/store.js';
import { NotFoundError } from '../errors.js';
import { buildEvent, type EventType, newTraceId } from '../event.js';
import type { Intent, JsonObject } from '../intent.js';
import { assertTransition } from '../intent-state.js';
import {
  evaluatePolicy,
  type PolicyEvaluation,
  profileFor,
  type RiskGateResult,
} from '../policy/index.js';
import type { RiskEvaluation } from '../risk/index.js';
import { runChecks } from './checks-step.js';
import { bindRepo, type EngineDeps } from './engine-deps.js';
import { evaluateRiskStep, riskGateStep, tenantPolicy } from './risk-step.js';
import {
  type SimulationOutcome,
  simulate,
  simulationEvent,
  tipOrMissing,
} from './simulation-step.js';

/** Options of one validation (reference: `validate` CLI flags). */
export interface ValidateOptions {
  /** Required checks are assumed passed (reference `--skip-checks`). */
  skipChecks?: boolean;
  /** Reuse the last simulation when both tips are unchanged (default true). */
  reuseSimulation?: boolean;
  traceId?: string;
}

/** The result of validating one intent, with its evidence. */
export interface ValidationOutcome {
  decision: 'validated' | 'blocked';
  intent: Intent;
  traceId: string;
  reasons: string[];
  simulation: MergeSimulation;
  checks: CheckResult[];
  risk?: RiskEvaluation;
  policy?: PolicyEvaluation;
  riskGate?: RiskGateResult;
}

type Draft = Omit<ValidationOutcome, 'decision' | 'intent'> & {
  before: Intent;
  /** `clock.now()` when the validation started (ValidationLatency). */
  startedMs: number;
};

/**
 * Validates an intent under one trace id: merge simulation, the profile's
 * checks, risk evaluation, policy gates and the tenant risk gate (invariant
 * 1). Passing moves it to VALIDATED; blocking leaves the status unchanged.
 * Every step appends its event.
 * @throws NotFoundError; InvalidTransitionError for MERGED or REJECTED intents.
 */
export async function validateIntent(
  baseDeps: EngineDeps,
  intentId: string,
  options: ValidateOptions = {},
): Promise<ValidationOutcome> {
  const startedMs = baseDeps.clock.now();
  const intent = await baseDeps.store.intents.get(intentId);
  if (!intent) throw new NotFoundError(`Intent ${intentId} not found`);
  assertTransition(intent.status, 'VALIDATED');
  const deps = await bindRepo(baseDeps, intent);
  const traceId = options.traceId ?? newTraceId(deps.ids);
  const sim = await simulateOrMissing(deps, intent, options);
  if ('missing' in sim) {
    const reason = `Branch not found: ${sim.missing}`;
    const draft = await missingDraft(deps, intent, startedMs, traceId);
    return finish(deps, { ...draft, reasons: [reason] });
  }
  await deps.store.events.append(simulationEvent(deps, intent, traceId, sim));
  const base: Draft = {
    before: intent,
    startedMs,
    traceId,
    reasons: [],
    simulation: sim.simulation,
    checks: [],
  };
  if (!sim.simulation.mergeable) {
    const files = sim.simulation.conflicts.join(', ');
    return finish(deps, { ...base, reasons: [`Merge conflict in: ${files}`] });
  }
  return validateMergeable(deps, base, options);
}

/** The simulation, or the message of a missing source or target ref. */
async function simulateOrMissing(
  deps: EngineDeps,
  intent: Intent,
  options: ValidateOptions,
): Promise<SimulationOutcome | { missing: string }> {
  try {
    return await simulate(deps, intent, options.reuseSimulation ?? true);
  } catch (error) {
    if (error instanceof NotFoundError) return { missing: error.message };
    throw error;
  }
}

/** A decision draft for an intent whose branch does not exist (tip ''). */
async function missingDraft(
  deps: EngineDeps,
  intent: Intent,
  startedMs: number,
  traceId: string,
): Promise<Draft> {
  const [sourceSha, targetSha] = await Promise.all([
    tipOrMissing(deps, intent.source),
    tipOrMissing(deps, intent.target),
  ]);
  return {
    before: intent,
    startedMs,
    traceId,
    reasons: [],
    checks: [],
    simulation: {
      mergeable: false,
      conflicts: [],
      filesChanged: [],
      sourceSha,
      targetSha,
      mergeBaseSha: null,
      treeSha: null,
    },
  };
}

async function validateMergeable(
  deps: EngineDeps,
  base: Draft,
  options: ValidateOptions,
): Promise<ValidationOutcome> {
  const intent = base.before;
  const tenant = await tenantPolicy(deps, intent.tenantId);
  const profile = profileFor(
    tenant.config,
    intent.riskLevel,
    intent.checksRequired,
  );
  const skip = options.skipChecks === true;
  const checks = skip
    ? []
    : await runChecks(deps, intent, base, profile.checks);
  // A skipped check (unknown, or still pending on GitHub) is not a failure
  // here; the verification gate reports it as missing.
  const failed = checks.filter((c) => c.status === 'failed');
  if (failed.length > 0) {
    const names = failed.map((c) => c.check).join(', ');
    return finish(deps, {
      ...base,
      checks,
      reasons: [`Checks failed: ${names}`],
    });
  }
  const risk = await evaluateRiskStep(deps, intent, base);
  const policy = evaluatePolicy({
    config: tenant.config,
    riskLevel: intent.riskLevel,
    checksPassed: checks
      .filter((c) => c.status === 'passed')
      .map((c) => c.check),
    checksRequired: intent.checksRequired,
    skipChecks: skip,
    entropyScore: risk.entropyScore,
    containmentScore: risk.containmentScore,
    propagationScore: risk.propagationScore,
  });
  const riskGate = riskGateStep(intent, risk, tenant.risk);
  await appendPolicyEvent(deps, base, policy, riskGate);
  const reasons = policy.gates.filter((g) => !g.passed).map((g) => g.reason);
  if (riskGate.enforced) reasons.push(riskGateReason(riskGate));
  return finish(deps, { ...base, checks, risk, policy, riskGate, reasons });
}

function riskGateReason(gate: RiskGateResult): string {
  const parts = gate.breaches.map((b) => `${b.metric} ${b.value} > ${b.limit}`);
  return `Risk gate: ${parts.join(', ')}`;
}

async function appendPolicyEvent(
  deps: EngineDeps,
  base: Draft,
  policy: PolicyEvaluation,
  riskGate: RiskGateResult,
): Promise<void> {
  const intent = base.before;
  const payload: JsonObject = {
    verdict: policy.verdict,
    gates: policy.gates.map((g) => ({ ...g })),
    profile_used: policy.profileUsed,
    required_checks: [...policy.requiredChecks],
    risk_gate: {
      ...riskGate,
      breaches: riskGate.breaches.map((b) => ({ ...b })),
    },
  };
  const event = buildEvent(
    {
      type: 'policy.evaluated',
      traceId: base.traceId,
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload,
      evidence: { verdict: policy.verdict, trace_id: base.traceId },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
}

/** Records the decision: VALIDATED on a pass, intent.blocked otherwise. */
async function finish(
  deps: EngineDeps,
  result: Draft,
): Promise<ValidationOutcome> {
  const intent = result.before;
  const passed = result.reasons.length === 0;
  const type: EventType = passed ? 'intent.validated' : 'intent.blocked';
  const payload = decisionPayload(result, passed);
  const event = buildEvent(
    {
      type,
      traceId: result.traceId,
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload,
      evidence: {
        trace_id: result.traceId,
        source_sha: result.simulation.sourceSha,
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  const outbox = decisionOutbox(deps, intent, payload, result.traceId);
  const updated = await deps.store.intents.transition({
    id: intent.id,
    to: passed ? 'VALIDATED' : intent.status,
    expectedVersion: intent.version,
    event,
    ...(outbox ? { outbox } : {}),
  });
  const { before: _before, startedMs, ...rest } = result;
  deps.metrics?.count(passed ? 'IntentsValidated' : 'IntentsBlocked');
  deps.metrics?.timing('ValidationLatency', deps.clock.now() - startedMs);
  return {
    ...rest,
    decision: passed ? 'validated' : 'blocked',
    intent: updated,
  };
}

function decisionPayload(result: Draft, passed: boolean): JsonObject {
  return {
    decision: passed ? 'validated' : 'blocked',
    reason: passed ? 'All gates passed' : result.reasons.join('; '),
    reasons: result.reasons,
    risk_score: result.risk?.riskScore ?? null,
    verdict: result.policy?.verdict ?? 'BLOCK',
    source_sha: result.simulation.sourceSha,
    target_sha: result.simulation.targetSha,
    tree_sha: result.simulation.treeSha,
    bombs: (result.risk?.bombs ?? []).map((b) => b.type),
  };
}

/**
 * A GitHub-backed intent gets its decision published through the outbox.
 * The id starts with the intent's version (zero-padded), so two decisions
 * of one intent written in the same millisecond (validated, then queued)
 * are still published in order: the outbox is read by creation time, then
 * id, and the last publication is what the pull request shows.
 */
export function decisionOutbox(
  deps: Pick<EngineDeps, 'ids'>,
  intent: Intent,
  decision: JsonObject,
  traceId: string,
): OutboxInput | undefined {
  if (typeof intent.technical.repo !== 'string') return undefined;
  return {
    id: `decision-${String(intent.version).padStart(10, '0')}-${deps.ids.hex(12)}`,
    kind: 'github.decision',
    tenantId: intent.tenantId,
    payload: { intent_id: intent.id, trace_id: traceId, ...decision },
  };
}
