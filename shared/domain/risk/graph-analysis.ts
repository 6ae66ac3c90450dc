import type { DiGraph, IndexedGraph } from './digraph.js';
import {
  countWeakComponents,
  dagLongestPathLength,
  directedDensity,
  topologicalOrder,
} from './graph-algorithms.js';
import { weightedPageRank } from './pagerank.js';
import { findSimpleCycles } from './simple-cycles.js';

/**
 * Cap of the cycle enumeration for path dependence (20). The original runs
 * the same enumeration twice, capped at 20 and at 10, so the spiral bomb's
 * cycles are the first 10 of these.
 */
export const PATH_DEPENDENCE_CYCLE_CAP = 20;

/** Cap of the cycle enumeration for the spiral bomb. */
export const SPIRAL_CYCLE_CAP = 10;

/**
 * Everything the signals, scores and bombs read from the graph, computed once
 * (the original recomputes PageRank three times with identical results).
 */
export interface GraphAnalysis {
  readonly graph: IndexedGraph;
  /** PageRank per node index. */
  readonly pagerank: Float64Array;
  readonly components: number;
  readonly density: number;
  /** Simple cycles of length >= 2, at most {@link PATH_DEPENDENCE_CYCLE_CAP}. */
  readonly cycles: readonly (readonly number[])[];
  /** Weighted longest path if the graph is a DAG, else 0. */
  readonly longestPath: number;
  /** Indices of `file`-kind nodes, in node order. */
  readonly fileNodes: readonly number[];
}

/**
 * Runs PageRank, component count, density, cycle enumeration and (only for a
 * DAG, where no cycle exists) the longest path.
 *
 * @throws PageRankConvergenceError if PageRank does not converge.
 */
export function analyzeGraph(graph: DiGraph): GraphAnalysis {
  const indexed = graph.toIndexed();
  const order = topologicalOrder(indexed);
  const isDag = order !== undefined;
  return {
    graph: indexed,
    pagerank: weightedPageRank(indexed),
    components: countWeakComponents(indexed),
    density: directedDensity(indexed.ids.length, indexed.edgeCount),
    cycles: isDag ? [] : findSimpleCycles(indexed, PATH_DEPENDENCE_CYCLE_CAP),
    longestPath: isDag ? dagLongestPathLength(indexed, order) : 0,
    fileNodes: indexed.kinds.flatMap((kind, node) =>
      kind === 'file' ? [node] : [],
    ),
  };
}
