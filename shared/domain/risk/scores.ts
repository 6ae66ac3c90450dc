import type { GraphAnalysis } from './graph-analysis.js';
import type {
  Finding,
  ImpactEdge,
  RiskInput,
  RiskSignals,
} from './risk-types.js';
import { roundHalfEven } from './rounding.js';
import { CORE_TARGETS } from './signals.js';

/**
 * Composite scores, impact edges and findings (reference §3 "Composite
 * scores"). Sums keep the original's left-to-right order.
 */

const IMPACT_FILE_LIMIT = 20;

/**
 * The flat impact list: `source -> target` (1.0), `intent -> dependency`
 * (0.8), `intent -> scope` (0.5) and `intent -> file` (0.3) for the first 20
 * changed files.
 */
export function buildImpactEdges(input: RiskInput): ImpactEdge[] {
  const fromIntent = (
    target: string,
    type: ImpactEdge['type'],
    weight: number,
  ): ImpactEdge => ({ source: input.intentId, target, type, weight });
  return [
    {
      source: input.source,
      target: input.target,
      type: 'merge_target',
      weight: 1.0,
    },
    ...input.dependencies.map((d) => fromIntent(d, 'depends_on', 0.8)),
    ...input.scopeHints.map((s) => fromIntent(s, 'touches_scope', 0.5)),
    ...input.filesChanged
      .slice(0, IMPACT_FILE_LIMIT)
      .map((f) => fromIntent(f, 'modifies_file', 0.3)),
  ];
}

/**
 * `min(50, 10 * avg out-degree of file nodes) + min(50, 3 * sum of impact
 * weights + 2 * distinct impact targets)`, rounded to one decimal.
 */
export function propagationScore(
  analysis: GraphAnalysis,
  impactEdges: readonly Pick<ImpactEdge, 'target' | 'weight'>[],
): number {
  const { graph, fileNodes } = analysis;
  if (graph.ids.length === 0 && impactEdges.length === 0) return 0.0;
  let graphPart = 0.0;
  if (fileNodes.length > 0) {
    let outDegrees = 0;
    for (const node of fileNodes) outDegrees += graph.succ[node]?.length ?? 0;
    graphPart = Math.min(50.0, (outDegrees / fileNodes.length) * 10.0);
  }
  let totalWeight = 0;
  for (const edge of impactEdges) totalWeight += edge.weight;
  const targets = new Set(impactEdges.map((edge) => edge.target)).size;
  const edgePart = Math.min(50.0, totalWeight * 3.0 + targets * 2.0);
  return Math.min(100.0, roundHalfEven(graphPart + edgePart, 1));
}

/** What {@link containmentScore} counts. */
export interface ContainmentParams {
  /** Number of graph nodes (0 means no graph). */
  readonly nodeCount: number;
  /** Weakly connected components of the graph. */
  readonly components: number;
  readonly impactEdges: readonly Pick<ImpactEdge, 'target'>[];
  readonly dependencies: readonly string[];
  readonly scopeHints: readonly string[];
}

/**
 * `max(0, 1 - 0.05 * |impact targets ∪ deps ∪ scopes| - 0.03 *
 * (components - 1))` with two decimals; 1.0 when there is nothing to count.
 */
export function containmentScore(params: ContainmentParams): number {
  const { nodeCount, impactEdges } = params;
  if (nodeCount === 0 && impactEdges.length === 0) return 1.0;
  const tokens = new Set<string>(impactEdges.map((edge) => edge.target));
  for (const dependency of params.dependencies) tokens.add(dependency);
  for (const scope of params.scopeHints) tokens.add(scope);
  if (tokens.size === 0) return 1.0;
  const components = nodeCount > 0 ? params.components : 1;
  const componentPenalty = (components - 1) * 0.03;
  return roundHalfEven(
    Math.max(0.0, 1.0 - tokens.size * 0.05 - componentPenalty),
    2,
  );
}

/** Risk and damage composites of the four signals. */
export function compositeScores(signals: RiskSignals): {
  riskScore: number;
  damageScore: number;
} {
  const { entropicLoad, contextualValue, complexityDelta, pathDependence } =
    signals;
  const risk =
    entropicLoad * 0.3 +
    contextualValue * 0.25 +
    complexityDelta * 0.2 +
    pathDependence * 0.25;
  const damage =
    contextualValue * 0.5 + entropicLoad * 0.3 + pathDependence * 0.2;
  return {
    riskScore: Math.min(100.0, roundHalfEven(risk, 1)),
    damageScore: Math.min(100.0, roundHalfEven(damage, 1)),
  };
}

/** Large change (> 15 files), dependency spread (> 3), core target, conflicts. */
export function analyzeFindings(input: RiskInput): Finding[] {
  const findings: Finding[] = [];
  const files = input.filesChanged.length;
  const dependencies = input.dependencies.length;
  const conflicts = input.conflicts.length;
  if (files > 15) {
    findings.push({
      code: 'semantic.large_change',
      severity: 'high',
      message: `Change touches ${files} files`,
    });
  }
  if (dependencies > 3) {
    findings.push({
      code: 'semantic.dependency_spread',
      severity: 'medium',
      message: `Depends on ${dependencies} other intents`,
    });
  }
  if (CORE_TARGETS.has(input.target)) {
    findings.push({
      code: 'semantic.core_target',
      severity: 'high',
      message: `Targets core branch: ${input.target}`,
    });
  }
  if (conflicts > 0) {
    findings.push({
      code: 'semantic.merge_conflict',
      severity: 'critical',
      message: `${conflicts} merge conflict(s) detected`,
    });
  }
  return findings;
}
