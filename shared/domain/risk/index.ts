/**
 * Risk model: a pure port of the original's risk evaluation (reference §3).
 * `evaluateRisk` is the entry point; the lower-level pieces are exported for
 * tests, benchmarks and the review path.
 */
export { detectBombs } from './bombs.js';
export { buildDependencyGraph } from './dependency-graph.js';
export type { DiagnosticsInput } from './diagnostics.js';
export { buildDiagnostics } from './diagnostics.js';
export type {
  EdgeData,
  EdgeRelation,
  IndexedGraph,
  NodeKind,
} from './digraph.js';
export { DiGraph } from './digraph.js';
export { evaluateRisk } from './evaluate-risk.js';
export type { GraphAnalysis } from './graph-analysis.js';
export {
  analyzeGraph,
  PATH_DEPENDENCE_CYCLE_CAP,
  SPIRAL_CYCLE_CAP,
} from './graph-analysis.js';
export { summarizeGraph } from './graph-metrics.js';
export type { PageRankOptions } from './pagerank.js';
export { weightedPageRank } from './pagerank.js';
export type {
  BombPayload,
  PayloadMeta,
  RiskEvaluatedPayload,
} from './payload.js';
export { toSnakeCasePayload } from './payload.js';
export { PageRankConvergenceError } from './risk.errors.js';
export type {
  Bomb,
  CascadeBomb,
  CoChangePair,
  Diagnostic,
  Finding,
  GraphMetrics,
  ImpactEdge,
  RiskEvaluation,
  RiskInput,
  RiskLevel,
  RiskSignals,
  Severity,
  SpiralBomb,
  ThermalDeathBomb,
} from './risk-types.js';
export { formatFixed, roundHalfEven } from './rounding.js';
export type { ContainmentParams } from './scores.js';
export {
  analyzeFindings,
  buildImpactEdges,
  compositeScores,
  containmentScore,
  propagationScore,
} from './scores.js';
export { CORE_TARGETS, computeSignals } from './signals.js';
