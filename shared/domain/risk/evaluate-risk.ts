import { detectBombs } from './bombs.js';
import { buildDependencyGraph } from './dependency-graph.js';
import { buildDiagnostics } from './diagnostics.js';
import { analyzeGraph } from './graph-analysis.js';
import { summarizeGraph } from './graph-metrics.js';
import type { RiskEvaluation, RiskInput } from './risk-types.js';
import {
  analyzeFindings,
  buildImpactEdges,
  compositeScores,
  containmentScore,
  propagationScore,
} from './scores.js';
import { computeSignals } from './signals.js';

/**
 * Evaluates the risk of a change: builds the dependency graph, computes the
 * four signals, the composite scores, bombs, findings, diagnostics, impact
 * edges and graph metrics, reproducing the original's numbers digit for
 * digit (reference §3 and the golden vectors of §9).
 *
 * Pure and synchronous; it never blocks anything by itself, it only feeds
 * the policy gates.
 *
 * @throws PageRankConvergenceError if PageRank does not converge (the
 * original lets networkx's error escape too; unreachable with the model's
 * non-negative weights).
 * @example
 * const evaluation = evaluateRisk({
 *   intentId: 'test-001', source: 'feature/x', target: 'main',
 *   riskLevel: 'medium', dependencies: [], scopeHints: [],
 *   filesChanged: ['a.py', 'b.py'], conflicts: [],
 * });
 * evaluation.riskScore; // 23.6
 */
export function evaluateRisk(input: RiskInput): RiskEvaluation {
  const analysis = analyzeGraph(buildDependencyGraph(input));
  const signals = computeSignals(input, analysis);
  const findings = analyzeFindings(input);
  const impactEdges = buildImpactEdges(input);
  const propagation = propagationScore(analysis, impactEdges);
  const containment = containmentScore({
    nodeCount: analysis.graph.ids.length,
    components: analysis.components,
    impactEdges,
    dependencies: input.dependencies,
    scopeHints: input.scopeHints,
  });
  const bombs = detectBombs(input, analysis);
  const { riskScore, damageScore } = compositeScores(signals);
  const entropyScore = signals.entropicLoad;
  const diagnostics = buildDiagnostics({
    riskScore,
    entropyScore,
    propagationScore: propagation,
    containmentScore: containment,
    signals,
    bombs,
    findings,
    mergeable: input.mergeable ?? input.conflicts.length === 0,
    conflicts: input.conflicts,
  });
  return {
    intentId: input.intentId,
    signals,
    riskScore,
    damageScore,
    entropyScore,
    propagationScore: propagation,
    containmentScore: containment,
    bombs,
    findings,
    diagnostics,
    impactEdges,
    graphMetrics: summarizeGraph(analysis),
  };
}
