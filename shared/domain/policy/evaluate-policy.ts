import type { RiskLevel } from '../intent.js';
import type { PolicyConfig, SecurityPolicy } from './policy-config.js';
import { profileFor, type ResolvedProfile } from './profile-for.js';

/** Gate names, in evaluation order. `blast` runs only when opted in. */
export type GateName =
  | 'verification'
  | 'containment'
  | 'entropy'
  | 'security'
  | 'blast';

/** The outcome of one gate, with the number it compared. */
export interface GateResult {
  readonly gate: GateName;
  readonly passed: boolean;
  readonly reason: string;
  readonly value: number;
  readonly threshold: number;
}

/** A finding from a security scan; only `critical` and `high` are counted. */
export interface SecurityFinding {
  readonly severity: string;
}

/** What the policy gates look at for one intent. */
export interface PolicyEvaluationInput {
  readonly config: PolicyConfig;
  /** The intent's risk level; unknown values use the medium profile. */
  readonly riskLevel: string;
  /** Names of checks that passed on the tested commit. */
  readonly checksPassed: readonly string[];
  /** The intent's `checks_required`, added to the profile's checks. */
  readonly checksRequired?: readonly string[] | undefined;
  /** `--skip-checks`: required checks are assumed passed. */
  readonly skipChecks?: boolean | undefined;
  readonly entropyScore: number;
  readonly containmentScore: number;
  readonly propagationScore: number;
  /** Security findings; none (the default) passes the security gate. */
  readonly securityFindings?: readonly SecurityFinding[] | undefined;
}

/** The verdict and every gate's result. */
export interface PolicyEvaluation {
  /** ALLOW only when every gate passed. */
  readonly verdict: 'ALLOW' | 'BLOCK';
  readonly gates: readonly GateResult[];
  /** The level whose profile was applied (`medium` for an unknown level). */
  readonly profileUsed: RiskLevel;
  /** The level as requested. */
  readonly riskLevel: string;
  /** Profile checks plus the intent's own, in the order checked. */
  readonly requiredChecks: readonly string[];
  /** Required checks not passed (empty when `skipChecks`). */
  readonly missingChecks: readonly string[];
}

/**
 * Runs the policy gates in the original's order: verification, containment,
 * entropy, security; then the blast gate when the profile opts in
 * (`blast_gate`, DECISIONS 12). Pure: no I/O, no clock.
 *
 * @example
 * evaluatePolicy({ config: DEFAULT_POLICY_CONFIG, riskLevel: 'medium',
 *   checksPassed: ['lint'], entropyScore: 9, containmentScore: 0.82,
 *   propagationScore: 20.8 }).verdict // 'ALLOW'
 */
export function evaluatePolicy(input: PolicyEvaluationInput): PolicyEvaluation {
  const profile = profileFor(
    input.config,
    input.riskLevel,
    input.checksRequired,
  );
  const missingChecks = input.skipChecks
    ? []
    : profile.checks.filter((check) => !input.checksPassed.includes(check));
  const gates: GateResult[] = [
    verificationGate(profile, missingChecks, input.skipChecks === true),
    containmentGate(profile, input.containmentScore),
    entropyGate(profile, input.entropyScore),
    securityGate(input.config.security, input.securityFindings ?? []),
  ];
  if (profile.blast_gate)
    gates.push(blastGate(profile, input.propagationScore));
  return {
    verdict: gates.every((gate) => gate.passed) ? 'ALLOW' : 'BLOCK',
    gates,
    profileUsed: profile.level,
    riskLevel: input.riskLevel,
    requiredChecks: profile.checks,
    missingChecks,
  };
}

function verificationGate(
  profile: ResolvedProfile,
  missing: readonly string[],
  skipped: boolean,
): GateResult {
  const required = profile.checks.length;
  let reason = 'All required checks passed';
  if (skipped) reason = 'Required checks assumed passed (skip checks)';
  else if (missing.length > 0) reason = `Missing checks: ${missing.join(', ')}`;
  return {
    gate: 'verification',
    passed: missing.length === 0,
    reason,
    value: required - missing.length,
    threshold: required,
  };
}

function containmentGate(profile: ResolvedProfile, score: number): GateResult {
  const min = profile.containment_min;
  return {
    gate: 'containment',
    passed: score >= min,
    reason: `Containment ${score.toFixed(2)} vs min ${min.toFixed(2)}`,
    value: score,
    threshold: min,
  };
}

function entropyGate(profile: ResolvedProfile, score: number): GateResult {
  const budget = profile.entropy_budget;
  return {
    gate: 'entropy',
    passed: score <= budget,
    reason: `Entropy ${score.toFixed(1)} vs budget ${budget.toFixed(1)}`,
    value: score,
    threshold: budget,
  };
}

/**
 * Passes when `critical <= max_critical` and `high <= max_high`. The value
 * and threshold shown are those of the first limit broken (critical first),
 * or the critical count when both hold.
 */
function securityGate(
  limits: SecurityPolicy,
  findings: readonly SecurityFinding[],
): GateResult {
  const critical = countSeverity(findings, 'critical');
  const high = countSeverity(findings, 'high');
  const criticalOk = critical <= limits.max_critical;
  const highOk = high <= limits.max_high;
  const showHigh = criticalOk && !highOk;
  return {
    gate: 'security',
    passed: criticalOk && highOk,
    reason:
      `Security findings: critical ${critical} (max ${limits.max_critical}), ` +
      `high ${high} (max ${limits.max_high})`,
    value: showHigh ? high : critical,
    threshold: showHigh ? limits.max_high : limits.max_critical,
  };
}

function blastGate(profile: ResolvedProfile, propagation: number): GateResult {
  const limit = profile.blast_limit;
  return {
    gate: 'blast',
    passed: propagation <= limit,
    reason: `Propagation ${propagation.toFixed(1)} vs blast limit ${limit.toFixed(1)}`,
    value: propagation,
    threshold: limit,
  };
}

function countSeverity(
  findings: readonly SecurityFinding[],
  severity: string,
): number {
  return findings.filter((f) => f.severity.toLowerCase() === severity).length;
}
