/**
 * Input and output types of the risk model (reference §3). Scores are plain
 * numbers already rounded the way the original rounds them.
 */

/** The human-set risk level of an intent. */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

/** Severity of findings, bombs and diagnostics, most severe first. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** How often two files changed together in history (archaeology). */
export interface CoChangePair {
  readonly a: string;
  readonly b: string;
  readonly count: number;
}

/** Everything the risk model reads: intent metadata plus the merge simulation. */
export interface RiskInput {
  readonly intentId: string;
  readonly source: string;
  readonly target: string;
  readonly riskLevel: RiskLevel;
  readonly dependencies: readonly string[];
  readonly scopeHints: readonly string[];
  readonly filesChanged: readonly string[];
  readonly conflicts: readonly string[];
  /** Co-change pairs; a pair enters the graph when either file changed. */
  readonly coChange?: readonly CoChangePair[] | undefined;
  /**
   * The simulation's `mergeable` flag, which drives `diag.merge_conflict`.
   * Defaults to "no conflicts".
   */
  readonly mergeable?: boolean | undefined;
}

/** The four independent signals, each in [0, 100] with one decimal. */
export interface RiskSignals {
  readonly entropicLoad: number;
  readonly contextualValue: number;
  readonly complexityDelta: number;
  readonly pathDependence: number;
}

/** A semantic finding about the change. */
export interface Finding {
  readonly code:
    | 'semantic.large_change'
    | 'semantic.dependency_spread'
    | 'semantic.core_target'
    | 'semantic.merge_conflict';
  readonly severity: Severity;
  readonly message: string;
}

/** A flat impact edge (the original's legacy impact list). */
export interface ImpactEdge {
  readonly source: string;
  readonly target: string;
  readonly type:
    | 'merge_target'
    | 'depends_on'
    | 'touches_scope'
    | 'modifies_file';
  readonly weight: number;
}

/** High-centrality changed files whose descendants outnumber 1.5x the change. */
export interface CascadeBomb {
  readonly type: 'cascade';
  readonly severity: 'high';
  readonly message: string;
  readonly triggerNodes: readonly string[];
  readonly blastRadius: number;
}

/** At least two simple cycles (enumeration capped at 10). */
export interface SpiralBomb {
  readonly type: 'spiral';
  readonly severity: 'medium';
  readonly message: string;
  /** Up to 3 cycles, each cut to its first 5 nodes. */
  readonly cycles: readonly (readonly string[])[];
}

/** At least 3 of 5 entropy indicators elevated at once. */
export interface ThermalDeathBomb {
  readonly type: 'thermal_death';
  readonly severity: 'critical';
  readonly message: string;
  readonly indicators: number;
}

/** A structural-degradation pattern; informational, no gate reads it. */
export type Bomb = CascadeBomb | SpiralBomb | ThermalDeathBomb;

/** An explained diagnostic with a fixed recommendation. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly explanation: string;
  readonly recommendation: string;
}

/** Summary of the dependency graph. */
export interface GraphMetrics {
  readonly nodes: number;
  readonly edges: number;
  readonly pagerankMax: number;
  readonly pagerankTop: readonly {
    readonly node: string;
    readonly rank: number;
  }[];
  readonly criticalFiles: readonly {
    readonly file: string;
    readonly pagerank: number;
  }[];
  readonly components: number;
  readonly density: number;
}

/** The full, pure result of {@link evaluateRisk}. */
export interface RiskEvaluation {
  readonly intentId: string;
  readonly signals: RiskSignals;
  readonly riskScore: number;
  readonly damageScore: number;
  /** Equal to `signals.entropicLoad`; what the entropy gate compares. */
  readonly entropyScore: number;
  readonly propagationScore: number;
  /** In [0, 1] with two decimals. */
  readonly containmentScore: number;
  readonly bombs: readonly Bomb[];
  readonly findings: readonly Finding[];
  /** Sorted by severity, critical first (stable). */
  readonly diagnostics: readonly Diagnostic[];
  readonly impactEdges: readonly ImpactEdge[];
  readonly graphMetrics: GraphMetrics;
}
