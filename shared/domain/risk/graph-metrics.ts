import type { GraphAnalysis } from './graph-analysis.js';
import type { GraphMetrics } from './risk-types.js';
import { roundHalfEven } from './rounding.js';

const TOP_RANKED = 10;
const SHOWN = 5;
const PRECISION = 4;

/**
 * The `count` best-ranked node indices, best first; equal ranks keep index
 * order (what a stable descending sort would give), in O(n * count).
 */
function topRanked(pagerank: Float64Array, count: number): number[] {
  const top: number[] = [];
  pagerank.forEach((rank, node) => {
    const last = top.at(-1);
    if (
      top.length >= count &&
      last !== undefined &&
      !(rank > (pagerank[last] ?? 0))
    ) {
      return;
    }
    let at = top.length;
    while (at > 0 && rank > (pagerank[top[at - 1] ?? 0] ?? 0)) at -= 1;
    top.splice(at, 0, node);
    if (top.length > count) top.pop();
  });
  return top;
}

/**
 * Graph summary: node and edge counts, the PageRank maximum and top 5, the
 * top 5 `file` nodes among the 10 best ranked, components and density
 * (ranks and density rounded to 4 decimals). Ties in rank keep node
 * insertion order, as Python's stable `sorted` does. An empty graph (which
 * the risk graph never is: the intent and target are always there) gives
 * zeros and empty lists.
 */
export function summarizeGraph(analysis: GraphAnalysis): GraphMetrics {
  const { graph, pagerank } = analysis;
  const nodes = graph.ids.length;
  if (nodes === 0) {
    return {
      nodes: 0,
      edges: 0,
      pagerankMax: 0.0,
      pagerankTop: [],
      criticalFiles: [],
      components: 0,
      density: 0.0,
    };
  }
  const ranked = topRanked(pagerank, TOP_RANKED);
  const rankOf = (node: number): number =>
    roundHalfEven(pagerank[node] ?? 0, PRECISION);
  const idOf = (node: number): string => graph.ids[node] ?? '';
  return {
    nodes,
    edges: graph.edgeCount,
    pagerankMax: ranked[0] === undefined ? 0.0 : rankOf(ranked[0]),
    pagerankTop: ranked
      .slice(0, SHOWN)
      .map((node) => ({ node: idOf(node), rank: rankOf(node) })),
    criticalFiles: ranked
      .filter((node) => graph.kinds[node] === 'file')
      .slice(0, SHOWN)
      .map((node) => ({ file: idOf(node), pagerank: rankOf(node) })),
    components: analysis.components,
    density: roundHalfEven(analysis.density, PRECISION),
  };
}
