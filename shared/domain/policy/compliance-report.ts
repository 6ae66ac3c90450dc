import type { ErrorDetail } from '../errors.js';
import { roundHalfEven } from '../risk/rounding.js';
import {
  type ComplianceThresholds,
  DEFAULT_COMPLIANCE_THRESHOLDS,
} from './compliance-thresholds.js';
import { checkNumber, failOnIssues } from './field-rules.js';

/** Counts the report is computed from; the caller reads them from events. */
export interface ComplianceStats {
  /** `simulation.completed` events. */
  readonly simulations: number;
  /** ...of which mergeable. */
  readonly mergeable: number;
  /** ...of which conflicted. */
  readonly conflicts: number;
  /** `queue.reset` plus `intent.requeued` events. */
  readonly retriesTotal: number;
  /** Intents tracked. */
  readonly queueTracked: number;
}

/** The SLO checks, in report order. */
export type ComplianceCheckName =
  | 'mergeable_rate'
  | 'conflict_rate'
  | 'retries_total'
  | 'queue_tracked';

/** One SLO check. */
export interface ComplianceCheck {
  readonly name: ComplianceCheckName;
  readonly value: number;
  readonly threshold: number;
  readonly op: '>=' | '<=';
  readonly passed: boolean;
}

/** A failed check, as an alert. */
export interface ComplianceAlert extends ComplianceCheck {
  readonly alert: string;
}

/** The compliance report: passed only when every check passed. */
export interface ComplianceReport {
  readonly passed: boolean;
  readonly mergeable_rate: number;
  readonly conflict_rate: number;
  readonly retries_total: number;
  readonly queue_tracked: number;
  readonly checks: readonly ComplianceCheck[];
  readonly alerts: readonly ComplianceAlert[];
}

/**
 * The four SLO checks of the original's compliance report, from counts.
 * Rates are rounded to 3 decimals (half-even, as Python's `round`) before
 * they are compared, as the original did. With no simulations the mergeable
 * rate is 1.0 and the conflict rate 0.
 *
 * The conflict rate is `conflicts / simulations`; the original used
 * `1 - mergeable_rate`, which is the same when every non-mergeable
 * simulation is a conflict.
 *
 * @throws ValidationError when a count is negative or not an integer, or a
 *   part exceeds `simulations`.
 * @example complianceReport({ simulations: 10, mergeable: 9, conflicts: 1,
 *   retriesTotal: 0, queueTracked: 3 }).passed // true
 */
export function complianceReport(
  stats: ComplianceStats,
  thresholds: ComplianceThresholds = DEFAULT_COMPLIANCE_THRESHOLDS,
): ComplianceReport {
  validateStats(stats);
  const total = stats.simulations;
  const mergeableRate = roundHalfEven(
    total > 0 ? stats.mergeable / total : 1,
    3,
  );
  const conflictRate = roundHalfEven(
    total > 0 ? stats.conflicts / total : 0,
    3,
  );
  const t = thresholds;
  const checks = [
    check('mergeable_rate', mergeableRate, '>=', t.min_mergeable_rate),
    check('conflict_rate', conflictRate, '<=', t.max_conflict_rate),
    check('retries_total', stats.retriesTotal, '<=', t.max_retries_total),
    check('queue_tracked', stats.queueTracked, '<=', t.max_queue_tracked),
  ];
  const alerts = checks
    .filter((c) => !c.passed)
    .map((c) => ({ alert: `SLO breach: ${c.name}`, ...c }));
  return {
    passed: alerts.length === 0,
    mergeable_rate: mergeableRate,
    conflict_rate: conflictRate,
    retries_total: stats.retriesTotal,
    queue_tracked: stats.queueTracked,
    checks,
    alerts,
  };
}

function check(
  name: ComplianceCheckName,
  value: number,
  op: '>=' | '<=',
  threshold: number,
): ComplianceCheck {
  const passed = op === '>=' ? value >= threshold : value <= threshold;
  return { name, value, threshold, op, passed };
}

function validateStats(stats: ComplianceStats): void {
  const issues: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(stats)) {
    const bad = checkNumber(value, 0, Number.MAX_SAFE_INTEGER, true);
    if (bad) issues.push({ path: key, message: bad });
  }
  for (const part of ['mergeable', 'conflicts'] as const) {
    if (stats[part] > stats.simulations) {
      issues.push({ path: part, message: 'must not exceed simulations' });
    }
  }
  failOnIssues(issues, 'compliance stats');
}
