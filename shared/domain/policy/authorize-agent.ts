import { type ErrorDetail, ValidationError } from '../errors.js';
import {
  type AgentPolicy,
  BLAST_SEVERITIES,
  type BlastSeverity,
  DEFAULT_ACTION_MIN_ATL,
  defaultAgentPolicy,
} from './agent-policy.js';
import { checkNumber, failOnIssues } from './field-rules.js';

/** Everything authorization looks at; the caller loads it from the store. */
export interface AgentAuthorizationInput {
  readonly agentId: string;
  readonly tenantId?: string | null | undefined;
  readonly action: string;
  readonly intentId: string;
  /** The stored policy; missing means the default-deny policy. */
  readonly policy?: AgentPolicy | null | undefined;
  /** The current time, ISO-8601 (for `expires_at`). */
  readonly now: string;
  readonly humanApprovals?: number | undefined;
  /** The intent, or null when it does not exist. */
  readonly intent?: { readonly risk_level: string } | null | undefined;
  /** Scores of the intent's latest `risk.evaluated`, if any. */
  readonly risk?:
    | { readonly risk_score: number; readonly damage_score: number }
    | null
    | undefined;
  /** Whether the tenant's compliance report passes. */
  readonly compliancePassed?: boolean | undefined;
  /** Test coverage of the change, 0..1, when known. */
  readonly testCoverage?: number | undefined;
}

/** The limits that applied: the policy's, with the action's overrides. */
export interface EffectiveLimits {
  readonly max_risk_score: number;
  readonly max_blast_severity: BlastSeverity;
  readonly min_test_coverage: number;
  readonly min_atl: number;
}

/** The decision (payload of `agent.authorized`). */
export interface AgentAuthorization {
  readonly agent_id: string;
  readonly tenant_id: string | null;
  readonly action: string;
  readonly intent_id: string;
  /** True only when `reasons` is empty. */
  readonly allowed: boolean;
  /** Every failing rule, in evaluation order. */
  readonly reasons: readonly string[];
  readonly atl: number;
  readonly effective_limits: EffectiveLimits;
  readonly human_approvals: number;
  /** From the damage score; null without a risk evaluation. */
  readonly blast_severity: BlastSeverity | null;
  /** `default` when no policy was stored for the agent. */
  readonly policy_source: 'stored' | 'default';
  readonly timestamp: string;
}

/**
 * Blast severity from a damage score: < 30 low, < 50 medium, < 75 high,
 * else critical.
 */
export function blastSeverityFor(damageScore: number): BlastSeverity {
  if (damageScore < 30) return 'low';
  if (damageScore < 50) return 'medium';
  if (damageScore < 75) return 'high';
  return 'critical';
}

/**
 * May this agent do this action on this intent? Pure: collects *every*
 * failing reason, as the original did, and the caller emits
 * `agent.authorized`. Rules, in order:
 * 1. the policy has not expired;
 * 2. the action is in `allow_actions` ("not in allowed actions");
 * 3. ATL: done without any human approval, the action needs
 *    `atl >= min_atl` (override, else `DEFAULT_ACTION_MIN_ATL`, else 0); a
 *    human approval takes the autonomy question away (DECISIONS 12);
 * 4. risk score <= `max_risk_score`, blast severity <= `max_blast_severity`
 *    (when a risk evaluation is given);
 * 5. supplied test coverage >= `min_test_coverage`;
 * 6. compliance passes, if required (checked when the intent exists, as in
 *    the original; an unknown status denies);
 * 7. at least one human approval, if required;
 * 8. two approvals for a critical intent, if dual approval is required.
 *
 * @throws ValidationError on a bad `now`, approvals count or coverage, or a
 *   policy for another agent.
 */
export function authorizeAgent(
  input: AgentAuthorizationInput,
): AgentAuthorization {
  validateInput(input);
  const tenantId = input.tenantId ?? null;
  const policy = input.policy ?? defaultAgentPolicy(input.agentId, tenantId);
  const limits = effectiveLimits(policy, input.action);
  const approvals = input.humanApprovals ?? 0;
  const severity = input.risk
    ? blastSeverityFor(input.risk.damage_score)
    : null;
  const reasons = [
    expiryReason(policy, input.now),
    actionReason(policy, input.action),
    atlReason(policy, limits, input.action, approvals),
    ...riskReasons(input, limits, severity),
    coverageReason(limits, input.testCoverage),
    complianceReason(policy, input),
    policy.require_human_approval && approvals < 1
      ? 'Human approval required but none provided'
      : undefined,
    dualApprovalReason(policy, input, approvals),
  ].filter((reason): reason is string => reason !== undefined);
  return {
    agent_id: input.agentId,
    tenant_id: tenantId,
    action: input.action,
    intent_id: input.intentId,
    allowed: reasons.length === 0,
    reasons,
    atl: policy.atl,
    effective_limits: limits,
    human_approvals: approvals,
    blast_severity: severity,
    policy_source: input.policy ? 'stored' : 'default',
    timestamp: input.now,
  };
}

/** The policy's limits with `action_overrides[action]` applied over them. */
export function effectiveLimits(
  policy: AgentPolicy,
  action: string,
): EffectiveLimits {
  return {
    max_risk_score: policy.max_risk_score,
    max_blast_severity: policy.max_blast_severity,
    min_test_coverage: policy.min_test_coverage,
    min_atl: DEFAULT_ACTION_MIN_ATL[action] ?? 0,
    ...policy.action_overrides[action],
  };
}

function validateInput(input: AgentAuthorizationInput): void {
  const issues: ErrorDetail[] = [];
  const approvals = input.humanApprovals ?? 0;
  const badApprovals = checkNumber(approvals, 0, 1000, true);
  if (badApprovals)
    issues.push({ path: 'humanApprovals', message: badApprovals });
  if (input.testCoverage !== undefined) {
    const bad = checkNumber(input.testCoverage, 0, 1);
    if (bad) issues.push({ path: 'testCoverage', message: bad });
  }
  if (Number.isNaN(Date.parse(input.now))) {
    issues.push({ path: 'now', message: 'must be an ISO-8601 date' });
  }
  failOnIssues(issues, 'agent authorization request');
  if (input.policy && input.policy.agent_id !== input.agentId) {
    throw new ValidationError(
      `Policy of agent '${input.policy.agent_id}' given for '${input.agentId}'`,
    );
  }
}

function expiryReason(policy: AgentPolicy, now: string): string | undefined {
  if (policy.expires_at === null) return undefined;
  const expires = Date.parse(policy.expires_at);
  // An unreadable expiry fails closed (the original ignored it).
  if (Number.isNaN(expires)) {
    return `Policy expiry '${policy.expires_at}' is not a valid date`;
  }
  return Date.parse(now) > expires
    ? `Policy expired at ${policy.expires_at}`
    : undefined;
}

function actionReason(policy: AgentPolicy, action: string): string | undefined {
  if (policy.allow_actions.includes(action)) return undefined;
  return `Action '${action}' not in allowed actions: [${policy.allow_actions.join(', ')}]`;
}

function atlReason(
  policy: AgentPolicy,
  limits: EffectiveLimits,
  action: string,
  approvals: number,
): string | undefined {
  if (approvals >= 1 || policy.atl >= limits.min_atl) return undefined;
  return `ATL ${policy.atl} below ${limits.min_atl} required for autonomous '${action}'`;
}

function riskReasons(
  input: AgentAuthorizationInput,
  limits: EffectiveLimits,
  severity: BlastSeverity | null,
): (string | undefined)[] {
  if (!input.risk || severity === null) return [];
  const score = input.risk.risk_score;
  const max = limits.max_blast_severity;
  return [
    score > limits.max_risk_score
      ? `Risk score ${score} > agent limit ${limits.max_risk_score}`
      : undefined,
    rank(severity) > rank(max)
      ? `Blast severity '${severity}' exceeds agent limit '${max}'`
      : undefined,
  ];
}

function coverageReason(
  limits: EffectiveLimits,
  coverage: number | undefined,
): string | undefined {
  if (coverage === undefined || coverage >= limits.min_test_coverage) {
    return undefined;
  }
  return `Test coverage ${coverage} below agent minimum ${limits.min_test_coverage}`;
}

function complianceReason(
  policy: AgentPolicy,
  input: AgentAuthorizationInput,
): string | undefined {
  if (!policy.require_compliance_pass || !input.intent) return undefined;
  if (input.compliancePassed === true) return undefined;
  return input.compliancePassed === false
    ? 'Compliance check not passing'
    : 'Compliance status unknown';
}

function dualApprovalReason(
  policy: AgentPolicy,
  input: AgentAuthorizationInput,
  approvals: number,
): string | undefined {
  const critical = input.intent?.risk_level === 'critical';
  if (!critical || !policy.require_dual_approval_on_critical) return undefined;
  return approvals < 2
    ? `Critical risk requires 2 approvals, got ${approvals}`
    : undefined;
}

function rank(severity: BlastSeverity): number {
  return BLAST_SEVERITIES.indexOf(severity);
}
