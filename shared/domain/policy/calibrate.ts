import { ValidationError } from '../errors.js';
import { RISK_LEVELS, type RiskLevel } from '../intent.js';
import { roundHalfEven } from '../risk/rounding.js';
import { DEFAULT_PROFILES, type PolicyProfile } from './policy-config.js';

/** Entropy budget per level. */
export type EntropyBudgets = Readonly<Record<RiskLevel, number>>;

/** The quantiles calibration read, `sorted[int(n * q)]`. */
export interface CalibrationPercentiles {
  readonly p75: number;
  readonly p90: number;
  readonly p95: number;
}

/** Calibrated budgets; nothing here is applied without an audited call. */
export interface CalibrationResult {
  /** How many entropy scores were used. */
  readonly data_points: number;
  /** Null when there was no data. */
  readonly percentiles: CalibrationPercentiles | null;
  /** The original's formula, unchanged (can be non-monotonic). */
  readonly raw: EntropyBudgets;
  /** `raw` made monotonic: low >= medium >= high >= critical. */
  readonly budgets: EntropyBudgets;
  /** The base profiles with `budgets` as their entropy budgets. */
  readonly profiles: Readonly<Record<RiskLevel, PolicyProfile>>;
  /** Levels whose raw budget was lowered to keep the order. */
  readonly capped: readonly RiskLevel[];
}

/**
 * Entropy budgets from historical `entropy_score`s. With the scores sorted
 * and `p = sorted[int(n * q)]` for q = 0.75, 0.90, 0.95 (the original's
 * indexing): low = max(1.5 p75, 10), medium = max(p75, 8),
 * high = max(p90, 5), critical = max(0.8 p95, 3), each rounded to 1 decimal
 * half-even like Python's `round`. Those are `raw`.
 *
 * DECISIONS 9: the raw budgets can come out non-monotonic (1..20 gives high
 * 19 > medium 16), so `budgets` caps each stricter level at the budget of
 * the level above it: medium <= low, high <= medium, critical <= high. A
 * cap only tightens, never loosens a level. Empty data returns the base
 * profiles unchanged with `data_points: 0`.
 *
 * @throws ValidationError when a score is not a finite number.
 * @example calibrate([1, 2, 3]).budgets.low // 10
 */
export function calibrate(
  entropies: readonly number[],
  baseProfiles: Readonly<Record<RiskLevel, PolicyProfile>> = DEFAULT_PROFILES,
): CalibrationResult {
  const bad = entropies.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new ValidationError('Entropy scores must be finite numbers', [
      { path: `entropies.${bad}`, message: 'must be a finite number' },
    ]);
  }
  if (entropies.length === 0) return uncalibrated(baseProfiles);
  const sorted = [...entropies].sort((a, b) => a - b);
  const percentiles = {
    p75: quantile(sorted, 0.75),
    p90: quantile(sorted, 0.9),
    p95: quantile(sorted, 0.95),
  };
  const raw = rawBudgets(percentiles);
  const { budgets, capped } = monotonic(raw);
  return {
    data_points: sorted.length,
    percentiles,
    raw,
    budgets,
    profiles: withBudgets(baseProfiles, budgets),
    capped,
  };
}

/** Each level after the one above it, loosest first. */
const LOOSER_THEN_STRICTER: readonly (readonly [RiskLevel, RiskLevel])[] = [
  ['low', 'medium'],
  ['medium', 'high'],
  ['high', 'critical'],
];

function quantile(sorted: readonly number[], q: number): number {
  // Python's int(n * q): same IEEE product, truncated; always < n.
  return sorted[Math.trunc(sorted.length * q)] ?? 0;
}

function rawBudgets(p: CalibrationPercentiles): EntropyBudgets {
  return {
    low: roundHalfEven(Math.max(p.p75 * 1.5, 10), 1),
    medium: roundHalfEven(Math.max(p.p75, 8), 1),
    high: roundHalfEven(Math.max(p.p90, 5), 1),
    critical: roundHalfEven(Math.max(p.p95 * 0.8, 3), 1),
  };
}

function monotonic(raw: EntropyBudgets): {
  budgets: EntropyBudgets;
  capped: RiskLevel[];
} {
  const budgets: Record<RiskLevel, number> = { ...raw };
  const capped: RiskLevel[] = [];
  for (const [looser, level] of LOOSER_THEN_STRICTER) {
    if (budgets[level] > budgets[looser]) {
      budgets[level] = budgets[looser];
      capped.push(level);
    }
  }
  return { budgets, capped };
}

function withBudgets(
  base: Readonly<Record<RiskLevel, PolicyProfile>>,
  budgets: EntropyBudgets,
): Record<RiskLevel, PolicyProfile> {
  return Object.fromEntries(
    RISK_LEVELS.map((level) => [
      level,
      { ...base[level], entropy_budget: budgets[level] },
    ]),
  ) as Record<RiskLevel, PolicyProfile>;
}

function uncalibrated(
  base: Readonly<Record<RiskLevel, PolicyProfile>>,
): CalibrationResult {
  const budgets = Object.fromEntries(
    RISK_LEVELS.map((level) => [level, base[level].entropy_budget]),
  ) as Record<RiskLevel, number>;
  return {
    data_points: 0,
    percentiles: null,
    raw: budgets,
    budgets,
    profiles: base,
    capped: [],
  };
}
