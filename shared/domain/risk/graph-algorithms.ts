import type { IndexedGraph } from './digraph.js';

/**
 * Structural graph measures with networkx's semantics, on an
 * {@link IndexedGraph}. All run in O(nodes + edges).
 */

/** `nx.number_weakly_connected_components`: components of the undirected view. */
export function countWeakComponents(graph: IndexedGraph): number {
  const n = graph.ids.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (start: number): number => {
    let root = start;
    while ((parent[root] ?? root) !== root) root = parent[root] ?? root;
    let node = start;
    while (node !== root) {
      const next = parent[node] ?? root;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  let components = n;
  graph.succ.forEach((targets, from) => {
    for (const to of targets) {
      const a = find(from);
      const b = find(to);
      if (a !== b) {
        parent[a] = b;
        components -= 1;
      }
    }
  });
  return components;
}

/** `nx.density` for a directed graph: `m / (n (n - 1))`, 0 below two nodes. */
export function directedDensity(nodes: number, edges: number): number {
  if (edges === 0 || nodes <= 1) return 0;
  return edges / (nodes * (nodes - 1));
}

/**
 * `nx.topological_sort` order (generation by generation, Kahn style, in node
 * and edge insertion order), or `undefined` when the graph has a cycle
 * (self-loops included).
 */
export function topologicalOrder(graph: IndexedGraph): number[] | undefined {
  const inDegree = graph.pred.map((sources) => sources.length);
  const order: number[] = [];
  let generation = inDegree.flatMap((degree, node) =>
    degree === 0 ? [node] : [],
  );
  while (generation.length > 0) {
    const nextGeneration: number[] = [];
    for (const node of generation) {
      for (const child of graph.succ[node] ?? []) {
        const left = (inDegree[child] ?? 0) - 1;
        inDegree[child] = left;
        if (left === 0) nextGeneration.push(child);
      }
    }
    for (const node of generation) order.push(node);
    generation = nextGeneration;
  }
  return order.length === graph.ids.length ? order : undefined;
}

interface LongestPathTable {
  readonly distance: Float64Array;
  readonly previous: Int32Array;
}

/**
 * Best distance into each node: the first maximum over predecessors in
 * insertion order; no predecessor or a negative best restarts at 0.
 */
function relaxInOrder(
  graph: IndexedGraph,
  order: readonly number[],
): LongestPathTable {
  const distance = new Float64Array(graph.ids.length);
  const previous = new Int32Array(graph.ids.length);
  for (const node of order) {
    const weights = graph.predWeight[node] ?? [];
    let best = Number.NEGATIVE_INFINITY;
    let bestFrom = node;
    (graph.pred[node] ?? []).forEach((from, k) => {
      const candidate = (distance[from] ?? 0) + (weights[k] ?? 0);
      if (candidate > best) {
        best = candidate;
        bestFrom = from;
      }
    });
    const keep = best >= 0;
    distance[node] = keep ? best : 0;
    previous[node] = keep ? bestFrom : node;
  }
  return { distance, previous };
}

function edgeWeight(graph: IndexedGraph, from: number, to: number): number {
  const k = (graph.succ[from] ?? []).indexOf(to);
  return graph.succWeight[from]?.[k] ?? 0;
}

/**
 * `nx.dag_longest_path_length(G)` with edge weights: the path ends at the
 * first node of maximal distance in topological order, is traced back
 * through the best predecessors, and its length is re-summed from its start
 * (so the doubles match networkx's).
 *
 * @param order a topological order from {@link topologicalOrder}.
 */
export function dagLongestPathLength(
  graph: IndexedGraph,
  order: readonly number[],
): number {
  const { distance, previous } = relaxInOrder(graph, order);
  let end = order[0];
  if (end === undefined) return 0;
  for (const node of order) {
    if ((distance[node] ?? 0) > (distance[end] ?? 0)) end = node;
  }
  const path = [end];
  for (let node = end; previous[node] !== node; ) {
    node = previous[node] ?? node;
    path.push(node);
  }
  path.reverse();
  let length = 0;
  for (let k = 1; k < path.length; k++) {
    length += edgeWeight(graph, path[k - 1] ?? -1, path[k] ?? -1);
  }
  return length;
}

/**
 * Labels each node with up to two distinct sources that reach it by at least
 * one edge. Two are enough to tell "reached only by itself" from "reached by
 * another source"; each node is queued at most twice, so this is linear.
 */
function propagateOrigins(
  graph: IndexedGraph,
  sources: readonly number[],
): { first: Int32Array; second: Int32Array } {
  const first = new Int32Array(graph.ids.length).fill(-1);
  const second = new Int32Array(graph.ids.length).fill(-1);
  const queue: number[] = [];
  const offer = (node: number, label: number): void => {
    if (label === -1 || first[node] === label || second[node] !== -1) return;
    if (first[node] === -1) first[node] = label;
    else second[node] = label;
    queue.push(node);
  };
  for (const source of sources) {
    for (const child of graph.succ[source] ?? []) offer(child, source);
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? -1;
    for (const child of graph.succ[node] ?? []) {
      offer(child, first[node] ?? -1);
      offer(child, second[node] ?? -1);
    }
  }
  return { first, second };
}

/**
 * Size of the union of `nx.descendants(G, s)` over `sources`. networkx never
 * lists a node among its own descendants, so a source counts only when
 * another source reaches it. One linear pass instead of one traversal per
 * source.
 */
export function countDescendantsOfAll(
  graph: IndexedGraph,
  sources: readonly number[],
): number {
  const { first, second } = propagateOrigins(graph, sources);
  const isSource = new Set(sources);
  let count = 0;
  first.forEach((label, node) => {
    const onlyItself = label === node && second[node] === -1;
    if (label !== -1 && !(isSource.has(node) && onlyItself)) count += 1;
  });
  return count;
}
