import type {
  Bomb,
  Diagnostic,
  Finding,
  RiskSignals,
  Severity,
} from './risk-types.js';
import { formatFixed } from './rounding.js';

/**
 * Explained diagnostics with fixed recommendations (reference §3
 * "Diagnostics"): threshold rules, the merge conflict, one per bomb and one
 * per finding, then a stable sort by severity. Numbers in the texts use
 * Python's `{value:.0f}` / `{value:.2f}` (half-even on exact ties).
 */

/** What {@link buildDiagnostics} reads. */
export interface DiagnosticsInput {
  readonly riskScore: number;
  readonly entropyScore: number;
  readonly propagationScore: number;
  readonly containmentScore: number;
  /** Absent in the original's review path, which rebuilds without signals. */
  readonly signals?: RiskSignals | undefined;
  readonly bombs: readonly Bomb[];
  readonly findings: readonly Finding[];
  readonly mergeable: boolean;
  readonly conflicts: readonly string[];
}

interface ThresholdRule {
  readonly value: (input: DiagnosticsInput) => number;
  readonly fires: (value: number) => boolean;
  readonly code: string;
  readonly severity: (value: number) => Severity;
  readonly explain: (value: number) => string;
  readonly recommendation: string;
}

const whole = (value: number): string => formatFixed(value, 0);
const signal = (pick: (s: RiskSignals) => number) => (d: DiagnosticsInput) =>
  d.signals === undefined ? 0 : pick(d.signals);

const THRESHOLD_RULES: readonly ThresholdRule[] = [
  {
    value: (d) => d.riskScore,
    fires: (v) => v > 60,
    code: 'diag.high_risk',
    severity: (v) => (v > 80 ? 'critical' : 'high'),
    explain: (v) => `Combined risk score ${whole(v)} exceeds safe threshold`,
    recommendation: 'Split this change into smaller, independent intents',
  },
  {
    value: (d) => d.entropyScore,
    fires: (v) => v > 20,
    code: 'diag.high_entropy',
    severity: (v) => (v > 40 ? 'high' : 'medium'),
    explain: (v) => `Entropy score ${whole(v)} indicates high disorder`,
    recommendation: 'Reduce file count or dependencies before merging',
  },
  {
    value: (d) => d.propagationScore,
    fires: (v) => v > 40,
    code: 'diag.high_propagation',
    severity: () => 'high',
    explain: (v) =>
      `Change propagation score ${whole(v)} indicates wide blast radius`,
    recommendation: 'Review impact graph and consider narrowing scope',
  },
  {
    value: (d) => d.containmentScore,
    fires: (v) => v < 0.4,
    code: 'diag.low_containment',
    severity: () => 'medium',
    explain: (v) =>
      `Containment ${formatFixed(v, 2)} is below acceptable levels`,
    recommendation: 'Add scope hints or reduce cross-boundary dependencies',
  },
  {
    value: signal((s) => s.entropicLoad),
    fires: (v) => v > 50,
    code: 'diag.high_entropic_load',
    severity: () => 'high',
    explain: (v) =>
      `Entropic load ${whole(v)} indicates high disorder introduction`,
    recommendation:
      'Reduce the number of files, directories, or dependencies touched',
  },
  {
    value: signal((s) => s.contextualValue),
    fires: (v) => v > 60,
    code: 'diag.high_contextual_value',
    severity: () => 'high',
    explain: (v) =>
      `Change touches critical files (contextual value: ${whole(v)})`,
    recommendation:
      'Ensure thorough review — these files have high centrality in the codebase',
  },
  {
    value: signal((s) => s.pathDependence),
    fires: (v) => v > 40,
    code: 'diag.path_dependent',
    severity: () => 'medium',
    explain: (v) => `Path dependence ${whole(v)}: merge order matters`,
    recommendation: 'Coordinate merge timing with related intents',
  },
];

const BOMB_RECOMMENDATIONS: Readonly<Record<Bomb['type'], string>> = {
  cascade:
    'Split change to avoid touching high-centrality files simultaneously',
  spiral: 'Break circular dependencies before merging',
  thermal_death: 'System is under stress — reduce change scope immediately',
};

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
};

/** Builds the diagnostics list, sorted by severity (critical first, stable). */
export function buildDiagnostics(input: DiagnosticsInput): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const rule of THRESHOLD_RULES) {
    const value = rule.value(input);
    if (!rule.fires(value)) continue;
    diagnostics.push({
      severity: rule.severity(value),
      code: rule.code,
      explanation: rule.explain(value),
      recommendation: rule.recommendation,
    });
  }
  if (!input.mergeable) {
    const shown = input.conflicts.slice(0, 5).join(', ');
    diagnostics.push({
      severity: 'critical',
      code: 'diag.merge_conflict',
      explanation: `Merge has ${input.conflicts.length} conflict(s): ${shown}`,
      recommendation: 'Resolve conflicts in source branch before retrying',
    });
  }
  for (const bomb of input.bombs) {
    diagnostics.push({
      severity: bomb.severity,
      code: `diag.bomb.${bomb.type}`,
      explanation: bomb.message,
      recommendation: BOMB_RECOMMENDATIONS[bomb.type],
    });
  }
  for (const finding of input.findings) {
    diagnostics.push({
      severity: finding.severity,
      code: finding.code,
      explanation: finding.message,
      recommendation: '',
    });
  }
  return diagnostics.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  );
}
