import type { GraphAnalysis } from './graph-analysis.js';
import { parentDirectory, posixParent } from './posix-path.js';
import type { RiskInput, RiskLevel, RiskSignals } from './risk-types.js';
import { roundHalfEven } from './rounding.js';

/**
 * The four independent signals (reference §3 "Four independent signals").
 * Each is `min(100, round(raw, 1))`; the sums are written in the original's
 * left-to-right order so the doubles, and hence the roundings, agree.
 */

/** Branches whose intents get the target bonus and the core-target finding. */
export const CORE_TARGETS: ReadonlySet<string> = new Set([
  'main',
  'master',
  'release',
  'production',
  'prod',
]);

const CORE_PATH_PREFIXES = [
  'src/',
  'lib/',
  'core/',
  'pkg/',
  'internal/',
  'app/',
];

const RISK_BONUS: Readonly<Record<RiskLevel, number>> = {
  low: 0,
  medium: 5,
  high: 15,
  critical: 30,
};

/** `min(100, round(raw, 1))`, the clamp every signal shares. */
export function clampScore(raw: number): number {
  return Math.min(100.0, roundHalfEven(raw, 1));
}

/** Number of changed files under a core path prefix (`src/`, `lib/`, ...). */
export function countCorePathFiles(files: readonly string[]): number {
  return files.filter((file) =>
    CORE_PATH_PREFIXES.some((prefix) => file.startsWith(prefix)),
  ).length;
}

function entropicLoad(input: RiskInput, analysis: GraphAnalysis): number {
  const directories = new Set<string>();
  for (const file of input.filesChanged) {
    const directory = parentDirectory(file);
    if (directory !== undefined) directories.add(directory);
  }
  const components = analysis.graph.ids.length > 0 ? analysis.components : 1;
  return clampScore(
    input.filesChanged.length * 2.0 +
      input.conflicts.length * 15.0 +
      input.dependencies.length * 6.0 +
      directories.size * 3.0 +
      (components - 1) * 5.0,
  );
}

function contextualValue(input: RiskInput, analysis: GraphAnalysis): number {
  const { graph, pagerank } = analysis;
  const n = graph.ids.length;
  if (n === 0) return 0.0;
  let fileRankSum = 0;
  for (const file of input.filesChanged) {
    const node = graph.index.get(file);
    fileRankSum += node === undefined ? 0.0 : (pagerank[node] ?? 0);
  }
  const fileCount = Math.max(input.filesChanged.length, 1);
  const importanceRatio = fileRankSum / ((1.0 / n) * fileCount);
  const coreRatio = countCorePathFiles(input.filesChanged) / fileCount;
  const targetBonus = CORE_TARGETS.has(input.target) ? 10.0 : 0.0;
  return clampScore(
    Math.min(importanceRatio * 30.0, 60.0) +
      coreRatio * 20.0 +
      targetBonus +
      RISK_BONUS[input.riskLevel],
  );
}

/** file -> file edges whose endpoints have different `PurePosixPath.parent`. */
function countCrossDirectoryFileEdges(analysis: GraphAnalysis): number {
  const { graph } = analysis;
  const parents = new Map<number, string>();
  for (const node of analysis.fileNodes) {
    parents.set(node, posixParent(graph.ids[node] ?? ''));
  }
  let count = 0;
  for (const [from, parent] of parents) {
    for (const to of graph.succ[from] ?? []) {
      const other = parents.get(to);
      if (other !== undefined && other !== parent) count += 1;
    }
  }
  return count;
}

function complexityDelta(input: RiskInput, analysis: GraphAnalysis): number {
  const n = analysis.graph.ids.length;
  if (n === 0) return 0.0;
  const edgeNodeRatio = analysis.graph.edgeCount / Math.max(n, 1);
  return clampScore(
    analysis.density * 40.0 +
      Math.min(edgeNodeRatio * 10.0, 30.0) +
      countCrossDirectoryFileEdges(analysis) * 3.0 +
      input.scopeHints.length * 5.0,
  );
}

function pathDependence(input: RiskInput, analysis: GraphAnalysis): number {
  return clampScore(
    input.conflicts.length * 20.0 +
      countCorePathFiles(input.filesChanged) * 4.0 +
      input.dependencies.length * 8.0 +
      analysis.cycles.length * 5.0 +
      analysis.longestPath * 2.0,
  );
}

/** Computes EL, CV, CD and PD for a change and its analysed graph. */
export function computeSignals(
  input: RiskInput,
  analysis: GraphAnalysis,
): RiskSignals {
  return {
    entropicLoad: entropicLoad(input, analysis),
    contextualValue: contextualValue(input, analysis),
    complexityDelta: complexityDelta(input, analysis),
    pathDependence: pathDependence(input, analysis),
  };
}
