import { createHash } from 'node:crypto';
import type { ErrorDetail } from '../errors.js';
import { failOnIssues, readFields } from './field-rules.js';
import {
  DEFAULT_RISK_POLICY,
  RISK_RULES,
  type RiskGateMode,
  type RiskPolicy,
} from './policy-config.js';

/** A tenant's risk gate thresholds (one row per tenant). */
export interface TenantRiskPolicy extends RiskPolicy {
  readonly tenant_id: string;
}

/** A stored tenant risk policy: the store sets `version` (1, 2, …). */
export interface VersionedTenantRiskPolicy extends TenantRiskPolicy {
  readonly version: number;
  readonly updated_at: string;
}

/** The scores the tenant risk gate compares. */
export type RiskMetric = 'risk_score' | 'damage_score' | 'propagation_score';

/** One threshold the scores went over. */
export interface RiskBreach {
  readonly metric: RiskMetric;
  readonly value: number;
  readonly limit: number;
}

/** Scores of one intent and the policy to hold them to. */
export interface RiskGateInput {
  /** Seeds the deterministic rollout bucket. */
  readonly intentId: string;
  readonly riskScore: number;
  readonly damageScore: number;
  readonly propagationScore: number;
  /** The tenant's policy, or the config's `risk` section. */
  readonly policy: RiskPolicy;
}

/** Outcome of the tenant risk gate (payload of `risk.shadow_evaluated`). */
export interface RiskGateResult {
  /** True when any threshold is breached. */
  readonly would_block: boolean;
  /** True only in enforce mode, on a breach, inside the rollout. */
  readonly enforced: boolean;
  readonly mode: RiskGateMode;
  readonly enforce_ratio: number;
  /** Full precision (the original rounded it to 4 decimals for display). */
  readonly rollout_bucket: number;
  readonly in_enforcement_group: boolean;
  readonly breaches: readonly RiskBreach[];
}

const ROLLOUT_HEX_CHARS = 8;
const ROLLOUT_DIVISOR = 0xffffffff;

/**
 * Deterministic rollout bucket in [0, 1]:
 * `int(sha256(intentId)[:8], 16) / 0xFFFFFFFF` over the UTF-8 bytes, so an
 * intent lands in the same bucket on every retry.
 *
 * @example rolloutBucket('test-001') // 0.699485…
 */
export function rolloutBucket(intentId: string): number {
  const hex = createHash('sha256')
    .update(intentId, 'utf8')
    .digest('hex')
    .slice(0, ROLLOUT_HEX_CHARS);
  return Number.parseInt(hex, 16) / ROLLOUT_DIVISOR;
}

/**
 * The tenant risk gate. Breaches are strict (`score > limit`);
 * `enforced = mode === 'enforce' && would_block && bucket < enforce_ratio`,
 * so shadow never enforces and `enforce_ratio: 0` never enforces. Unlike the
 * original, callers act on `enforced` (DECISIONS 1).
 */
export function evaluateRiskGate(input: RiskGateInput): RiskGateResult {
  const { policy } = input;
  const scores: readonly [RiskMetric, number, number][] = [
    ['risk_score', input.riskScore, policy.max_risk_score],
    ['damage_score', input.damageScore, policy.max_damage_score],
    ['propagation_score', input.propagationScore, policy.max_propagation_score],
  ];
  const breaches = scores
    .filter(([, value, limit]) => value > limit)
    .map(([metric, value, limit]) => ({ metric, value, limit }));
  const bucket = rolloutBucket(input.intentId);
  const wouldBlock = breaches.length > 0;
  const inGroup = bucket < policy.enforce_ratio;
  return {
    would_block: wouldBlock,
    enforced: policy.mode === 'enforce' && wouldBlock && inGroup,
    mode: policy.mode,
    enforce_ratio: policy.enforce_ratio,
    rollout_bucket: bucket,
    in_enforcement_group: inGroup,
    breaches,
  };
}

/**
 * Builds a tenant's risk policy from the fields given, over `base` (the
 * defaults, or the tenant's current policy for a partial update; its
 * `tenant_id` and `version` are not copied). Scores are
 * 0..100, `enforce_ratio` 0..1, `mode` shadow or enforce.
 *
 * @throws ValidationError on an empty tenant id, an unknown field or an
 *   out-of-range value (the API maps it to 400).
 * @example buildTenantRiskPolicy('acme', { mode: 'enforce', enforce_ratio: 0.25 })
 */
export function buildTenantRiskPolicy(
  tenantId: string,
  changes: Partial<RiskPolicy>,
  base: RiskPolicy = DEFAULT_RISK_POLICY,
): TenantRiskPolicy {
  const issues: ErrorDetail[] = [];
  if (tenantId.trim() === '') {
    issues.push({ path: 'tenant_id', message: 'must be a non-empty string' });
  }
  const current = pickRiskPolicy(base);
  readFields(current, RISK_RULES, 'base', issues);
  const checked = readFields(changes, RISK_RULES, '', issues);
  failOnIssues(issues, 'tenant risk policy');
  return { tenant_id: tenantId, ...current, ...checked };
}

/** Only the policy fields, so a stored row's id and version do not leak. */
function pickRiskPolicy(policy: RiskPolicy): RiskPolicy {
  return {
    max_risk_score: policy.max_risk_score,
    max_damage_score: policy.max_damage_score,
    max_propagation_score: policy.max_propagation_score,
    mode: policy.mode,
    enforce_ratio: policy.enforce_ratio,
  };
}
