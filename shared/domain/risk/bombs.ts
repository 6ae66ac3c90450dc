import { countDescendantsOfAll } from './graph-algorithms.js';
import { type GraphAnalysis, SPIRAL_CYCLE_CAP } from './graph-analysis.js';
import type {
  Bomb,
  CascadeBomb,
  RiskInput,
  SpiralBomb,
  ThermalDeathBomb,
} from './risk-types.js';

/**
 * Structural-degradation patterns (reference §3 "Bombs"). Informational:
 * they appear in the evaluation and its diagnostics, and no gate reads them.
 */

function detectCascade(
  input: RiskInput,
  analysis: GraphAnalysis,
): CascadeBomb | undefined {
  const { graph, pagerank } = analysis;
  const threshold = 1.5 / Math.max(graph.ids.length, 1);
  const triggers = analysis.fileNodes.filter(
    (node) =>
      (pagerank[node] ?? 0) > threshold && (graph.succ[node]?.length ?? 0) >= 3,
  );
  if (triggers.length === 0) return undefined;
  const blastRadius = countDescendantsOfAll(graph, triggers);
  if (!(blastRadius > input.filesChanged.length * 1.5)) return undefined;
  return {
    type: 'cascade',
    severity: 'high',
    message:
      `Change touches ${triggers.length} high-centrality node(s) ` +
      `with potential cascade to ${blastRadius} nodes`,
    triggerNodes: triggers.slice(0, 5).map((node) => graph.ids[node] ?? ''),
    blastRadius,
  };
}

function detectSpiral(analysis: GraphAnalysis): SpiralBomb | undefined {
  const cycles = analysis.cycles.slice(0, SPIRAL_CYCLE_CAP);
  if (cycles.length < 2) return undefined;
  const ids = analysis.graph.ids;
  return {
    type: 'spiral',
    severity: 'medium',
    message: `${cycles.length} circular dependency cycle(s) detected`,
    cycles: cycles
      .slice(0, 3)
      .map((cycle) => cycle.slice(0, 5).map((node) => ids[node] ?? '')),
  };
}

function detectThermalDeath(
  input: RiskInput,
  analysis: GraphAnalysis,
): ThermalDeathBomb | undefined {
  const files = input.filesChanged.length;
  const conflicts = input.conflicts.length;
  const dependencies = input.dependencies.length;
  const { components } = analysis;
  const nodes = analysis.graph.ids.length;
  const edges = analysis.graph.edgeCount;
  const indicators = [
    files > 10,
    conflicts > 0,
    dependencies > 3,
    components > 3,
    edges > nodes * 2,
  ].filter(Boolean).length;
  if (indicators < 3) return undefined;
  return {
    type: 'thermal_death',
    severity: 'critical',
    message:
      `${indicators}/5 entropy indicators elevated: ` +
      `files=${files}, conflicts=${conflicts}, ` +
      `deps=${dependencies}, components=${components}, ` +
      `edge_density=${edges}/${nodes}`,
    indicators,
  };
}

/** Cascade, spiral and thermal-death bombs, in that order; none for an empty graph. */
export function detectBombs(input: RiskInput, analysis: GraphAnalysis): Bomb[] {
  if (analysis.graph.ids.length === 0) return [];
  return [
    detectCascade(input, analysis),
    detectSpiral(analysis),
    detectThermalDeath(input, analysis),
  ].filter((bomb): bomb is Bomb => bomb !== undefined);
}
