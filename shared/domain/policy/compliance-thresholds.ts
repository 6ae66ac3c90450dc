import type { ErrorDetail } from '../errors.js';
import { type FieldRules, failOnIssues, readFields } from './field-rules.js';

/** SLO thresholds of the compliance report, per tenant. */
export interface ComplianceThresholds {
  /** mergeable / simulations must be at least this (0..1). */
  readonly min_mergeable_rate: number;
  /** conflicts / simulations must be at most this (0..1). */
  readonly max_conflict_rate: number;
  /** `queue.reset` plus `intent.requeued` events, at most. */
  readonly max_retries_total: number;
  /** Intents tracked, at most. */
  readonly max_queue_tracked: number;
}

/** The original's defaults. */
export const DEFAULT_COMPLIANCE_THRESHOLDS: ComplianceThresholds = {
  min_mergeable_rate: 0.8,
  max_conflict_rate: 0.2,
  max_retries_total: 200,
  max_queue_tracked: 1000,
};

const RATE = { kind: 'number', min: 0, max: 1 } as const;
const COUNT = {
  kind: 'number',
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
  integer: true,
} as const;

const THRESHOLD_RULES: FieldRules<ComplianceThresholds> = {
  min_mergeable_rate: RATE,
  max_conflict_rate: RATE,
  max_retries_total: COUNT,
  max_queue_tracked: COUNT,
};

/**
 * A tenant's thresholds: its stored fields merged over `base` (the
 * defaults). Rates are 0..1 and counts non-negative integers. Unknown names
 * are rejected: the original stored the API's differently named fields
 * (`mergeable_rate`, `max_retries`) as-is and never read them.
 *
 * @throws ValidationError on an unknown field or an out-of-range value.
 * @example resolveComplianceThresholds({ max_conflict_rate: 0.1 })
 */
export function resolveComplianceThresholds(
  tenant: Partial<ComplianceThresholds> | null | undefined,
  base: ComplianceThresholds = DEFAULT_COMPLIANCE_THRESHOLDS,
): ComplianceThresholds {
  const issues: ErrorDetail[] = [];
  readFields(base, THRESHOLD_RULES, 'base', issues);
  const checked = readFields(tenant ?? {}, THRESHOLD_RULES, '', issues);
  failOnIssues(issues, 'compliance thresholds');
  return { ...base, ...checked };
}
