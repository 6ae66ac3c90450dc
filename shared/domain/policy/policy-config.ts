import { RISK_LEVELS, type RiskLevel } from '../intent.js';
import type { FieldRules } from './field-rules.js';

/** True when `value` names one of the four risk levels. */
export function isRiskLevel(value: unknown): value is RiskLevel {
  return (RISK_LEVELS as readonly unknown[]).includes(value);
}

/** Gate thresholds and required checks for one risk level. */
export interface PolicyProfile {
  /** The entropy gate passes when `entropy_score <= entropy_budget`. */
  readonly entropy_budget: number;
  /** The containment gate passes when `containment_score >= containment_min`. */
  readonly containment_min: number;
  /** Upper bound on the propagation score, read only when `blast_gate` is on. */
  readonly blast_limit: number;
  /**
   * Opt-in blast gate (DECISIONS 12): when true, `propagation_score` must
   * not exceed `blast_limit`. Off in every default profile, so default
   * verdicts equal the original's.
   */
  readonly blast_gate: boolean;
  /** Checks that must pass (the verification gate). */
  readonly checks: readonly string[];
}

/** Queue settings (`queue` section of the policy file). */
export interface QueuePolicy {
  /** Invariant 3: `retries >= max_retries` rejects. */
  readonly max_retries: number;
  readonly default_target: string;
}

/** How the tenant risk gate acts on a breach. */
export const RISK_GATE_MODES = ['shadow', 'enforce'] as const;

/** `shadow` records would-block only; `enforce` blocks (DECISIONS 1). */
export type RiskGateMode = (typeof RISK_GATE_MODES)[number];

/** Risk gate thresholds and rollout (`risk` section; tenant risk policies). */
export interface RiskPolicy {
  readonly max_risk_score: number;
  readonly max_damage_score: number;
  readonly max_propagation_score: number;
  readonly mode: RiskGateMode;
  /** Share of intents (by rollout bucket) the gate enforces on, 0..1. */
  readonly enforce_ratio: number;
}

/** Security gate limits on finding counts (`security` section). */
export interface SecurityPolicy {
  readonly max_critical: number;
  readonly max_high: number;
}

/** The whole policy: a profile per level plus queue, risk and security. */
export interface PolicyConfig {
  readonly profiles: Readonly<Record<RiskLevel, PolicyProfile>>;
  readonly queue: QueuePolicy;
  readonly risk: RiskPolicy;
  readonly security: SecurityPolicy;
}

/**
 * A partial policy, as found in a policy file or a tenant override. Each
 * section is merged field by field over the config it is applied to.
 */
export interface PolicyConfigOverride {
  readonly profiles?: Readonly<
    Partial<Record<RiskLevel, Partial<PolicyProfile>>>
  >;
  readonly queue?: Partial<QueuePolicy>;
  readonly risk?: Partial<RiskPolicy>;
  readonly security?: Partial<SecurityPolicy>;
}

/** The original's four default profiles (reference §4). */
export const DEFAULT_PROFILES: Readonly<Record<RiskLevel, PolicyProfile>> = {
  low: profile(25, 0.3, 50, ['lint']),
  medium: profile(18, 0.5, 35, ['lint']),
  high: profile(12, 0.7, 20, ['lint', 'unit_tests']),
  critical: profile(6, 0.85, 10, ['lint', 'unit_tests']),
};

/** Default tenant risk gate: shadow mode, full rollout ratio. */
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  max_risk_score: 65,
  max_damage_score: 60,
  max_propagation_score: 55,
  mode: 'shadow',
  enforce_ratio: 1,
};

/**
 * The embedded defaults. `policy.default.json` at the repository root holds
 * the same values (a test keeps them equal).
 */
export const DEFAULT_POLICY_CONFIG: PolicyConfig = {
  profiles: DEFAULT_PROFILES,
  queue: { max_retries: 3, default_target: 'main' },
  risk: DEFAULT_RISK_POLICY,
  security: { max_critical: 0, max_high: 2 },
};

const SCORE = { kind: 'number', min: 0, max: 100 } as const;
const COUNT = {
  kind: 'number',
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  integer: true,
} as const;

/** Field checks of a profile; scores are 0..100, containment 0..1. */
export const PROFILE_RULES: FieldRules<PolicyProfile> = {
  // Budgets may exceed the 100 cap of the entropy score (calibration can
  // yield 1.5 * p75); such a budget simply never blocks.
  entropy_budget: { kind: 'number', min: 0, max: Number.MAX_SAFE_INTEGER },
  containment_min: { kind: 'number', min: 0, max: 1 },
  blast_limit: SCORE,
  blast_gate: { kind: 'boolean' },
  checks: { kind: 'stringList' },
};

/** Field checks of the queue section. */
export const QUEUE_RULES: FieldRules<QueuePolicy> = {
  max_retries: { kind: 'number', min: 1, max: 100, integer: true },
  default_target: { kind: 'string' },
};

/** Field checks of a risk policy (config section or tenant policy). */
export const RISK_RULES: FieldRules<RiskPolicy> = {
  max_risk_score: SCORE,
  max_damage_score: SCORE,
  max_propagation_score: SCORE,
  mode: { kind: 'enum', values: RISK_GATE_MODES },
  enforce_ratio: { kind: 'number', min: 0, max: 1 },
};

/** Field checks of the security section. */
export const SECURITY_RULES: FieldRules<SecurityPolicy> = {
  max_critical: COUNT,
  max_high: COUNT,
};

function profile(
  entropyBudget: number,
  containmentMin: number,
  blastLimit: number,
  checks: readonly string[],
): PolicyProfile {
  return {
    entropy_budget: entropyBudget,
    containment_min: containmentMin,
    blast_limit: blastLimit,
    blast_gate: false,
    checks,
  };
}
