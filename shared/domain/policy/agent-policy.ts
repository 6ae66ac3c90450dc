import type { ErrorDetail } from '../errors.js';
import {
  type FieldRules,
  failOnIssues,
  isPlainObject,
  joinPath,
  readFields,
} from './field-rules.js';

/** Blast severities, mildest first. */
export const BLAST_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** How much damage a change can do, from its damage score. */
export type BlastSeverity = (typeof BLAST_SEVERITIES)[number];

/** Per-action limits; any field set replaces the policy's own for that action. */
export interface ActionLimits {
  readonly max_risk_score?: number;
  readonly max_blast_severity?: BlastSeverity;
  readonly min_test_coverage?: number;
  /** Minimum ATL to perform the action without a human approval. */
  readonly min_atl?: number;
}

/**
 * What an autonomous actor (CI bot, AI coding assistant) may do, per agent
 * and tenant. Missing policy means {@link defaultAgentPolicy}: default-deny.
 */
export interface AgentPolicy {
  readonly agent_id: string;
  readonly tenant_id: string | null;
  /** Autonomy Trust Level 0..3; see `DEFAULT_ACTION_MIN_ATL`. */
  readonly atl: number;
  readonly max_risk_score: number;
  readonly max_blast_severity: BlastSeverity;
  /** 0..1; a supplied coverage below it denies. */
  readonly min_test_coverage: number;
  readonly require_compliance_pass: boolean;
  readonly require_human_approval: boolean;
  readonly require_dual_approval_on_critical: boolean;
  readonly allow_actions: readonly string[];
  readonly action_overrides: Readonly<Record<string, ActionLimits>>;
  /** ISO-8601; after it every action is denied. */
  readonly expires_at: string | null;
}

/** Fields to build a policy from; everything but `agent_id` has a default. */
export type AgentPolicyInput = Pick<AgentPolicy, 'agent_id'> &
  Partial<Omit<AgentPolicy, 'agent_id'>>;

/**
 * Minimum ATL for an action done autonomously (no human approval), unless
 * `action_overrides[action].min_atl` says otherwise; unlisted actions need 0.
 * Landing code on the target needs ATL 2 (DECISIONS 12: ATL is enforced).
 */
export const DEFAULT_ACTION_MIN_ATL: Readonly<Record<string, number>> = {
  merge: 2,
  automerge: 2,
};

const SCORE = { kind: 'number', min: 0, max: 100 } as const;
const RATIO = { kind: 'number', min: 0, max: 1 } as const;
const ATL = { kind: 'number', min: 0, max: 3, integer: true } as const;
const SEVERITY = { kind: 'enum', values: BLAST_SEVERITIES } as const;

const POLICY_RULES: FieldRules<Omit<AgentPolicy, 'action_overrides'>> = {
  agent_id: { kind: 'string' },
  tenant_id: { kind: 'stringOrNull' },
  atl: ATL,
  max_risk_score: SCORE,
  max_blast_severity: SEVERITY,
  min_test_coverage: RATIO,
  require_compliance_pass: { kind: 'boolean' },
  require_human_approval: { kind: 'boolean' },
  require_dual_approval_on_critical: { kind: 'boolean' },
  allow_actions: { kind: 'stringList' },
  expires_at: { kind: 'isoDateOrNull' },
};

const OVERRIDE_RULES: FieldRules<ActionLimits> = {
  max_risk_score: SCORE,
  max_blast_severity: SEVERITY,
  min_test_coverage: RATIO,
  min_atl: ATL,
};

/**
 * The policy an agent gets when none is stored: ATL 0, risk 30, blast low,
 * every approval required, only `analyze` allowed. Without a human approval
 * it denies everything.
 */
export function defaultAgentPolicy(
  agentId: string,
  tenantId: string | null = null,
): AgentPolicy {
  return {
    agent_id: agentId,
    tenant_id: tenantId,
    atl: 0,
    max_risk_score: 30,
    max_blast_severity: 'low',
    min_test_coverage: 0,
    require_compliance_pass: true,
    require_human_approval: true,
    require_dual_approval_on_critical: true,
    allow_actions: ['analyze'],
    action_overrides: {},
    expires_at: null,
  };
}

/**
 * Builds an agent policy: the given fields over the defaults, with ranges
 * checked (ATL integer 0..3, risk 0..100, coverage 0..1, known severities,
 * parseable `expires_at`).
 *
 * @throws ValidationError listing every bad field (the API maps it to 400).
 * @example buildAgentPolicy({ agent_id: 'bot', atl: 2, allow_actions: ['merge'] })
 */
export function buildAgentPolicy(input: AgentPolicyInput): AgentPolicy {
  const issues: ErrorDetail[] = [];
  const { action_overrides: overrides, ...rest } = input;
  const fields = readFields(rest, POLICY_RULES, '', issues);
  const actionOverrides = readOverrides(overrides, issues);
  failOnIssues(issues, 'agent policy');
  const base = defaultAgentPolicy(input.agent_id, fields.tenant_id ?? null);
  return { ...base, ...fields, action_overrides: actionOverrides };
}

function readOverrides(
  input: unknown,
  issues: ErrorDetail[],
): Record<string, ActionLimits> {
  if (input === undefined) return {};
  if (!isPlainObject(input)) {
    issues.push({ path: 'action_overrides', message: 'must be an object' });
    return {};
  }
  const out: Record<string, ActionLimits> = {};
  for (const [action, limits] of Object.entries(input)) {
    const path = joinPath('action_overrides', action);
    out[action] = readFields(limits, OVERRIDE_RULES, path, issues);
  }
  return out;
}
