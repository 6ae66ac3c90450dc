import { DiGraph } from './digraph.js';
import { parentDirectory } from './posix-path.js';
import type { CoChangePair, RiskInput } from './risk-types.js';

/**
 * The dependency graph of a change (reference §3 "Dependency graph"), built
 * from the simulation's changed files and the intent's metadata, not from
 * source code. Node insertion order follows the original (risk/graph.py,
 * S8 and later): each file, then its directory when first seen; scopes;
 * dependencies (the intent node appears with the first `depends_on` edge);
 * the intent; the target; co-change files. It fixes PageRank summation and
 * tie order.
 *
 * S1's single-module `risk.py` added every file before any directory. The
 * golden vectors are the same either way; the two orders differ only when a
 * changed path is also another file's directory (the last `add_node` sets
 * the kind) and in the order of near-equal ranks in the top-PageRank lists.
 * We follow the later, refactored code.
 */

const WEIGHT = {
  containedIn: 0.3,
  coLocated: 0.2,
  scopeContains: 0.5,
  scopeTouches: 0.2,
  dependsOn: 0.8,
  mergeTarget: 1.0,
  coChangeFactor: 0.1,
} as const;

function addFilesAndDirectories(
  graph: DiGraph,
  files: readonly string[],
  parents: readonly (string | undefined)[],
): void {
  const seen = new Set<string>();
  files.forEach((file, k) => {
    graph.addNode(file, 'file');
    const directory = parents[k];
    if (directory === undefined) return;
    if (!seen.has(directory)) {
      graph.addNode(directory, 'directory');
      seen.add(directory);
    }
    graph.addEdge(file, directory, {
      rel: 'contained_in',
      weight: WEIGHT.containedIn,
    });
  });
}

/**
 * Both-way `co_located` edges between every pair of files sharing a parent;
 * root files share the group `"."`. Quadratic per directory by nature: the
 * graph holds k(k-1) such edges for k files in one directory.
 */
function addCoLocation(
  graph: DiGraph,
  files: readonly string[],
  parents: readonly (string | undefined)[],
): void {
  const groups = new Map<string, string[]>();
  files.forEach((file, k) => {
    const key = parents[k] ?? '.';
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [file]);
    else group.push(file);
  });
  for (const group of groups.values()) linkAllPairs(graph, group);
}

function linkAllPairs(graph: DiGraph, group: readonly string[]): void {
  const edge = { rel: 'co_located', weight: WEIGHT.coLocated } as const;
  const nodes = group.map((file) => graph.ensureNode(file));
  for (let i = 0; i < nodes.length; i++) {
    const a = nodes[i] ?? -1;
    for (let j = i + 1; j < nodes.length; j++) {
      const b = nodes[j] ?? -1;
      graph.addEdgeIfAbsentAt(a, b, edge);
      graph.addEdgeIfAbsentAt(b, a, edge);
    }
  }
}

const SCOPE_CONTAINS = {
  rel: 'scope_contains',
  weight: WEIGHT.scopeContains,
} as const;
const SCOPE_TOUCHES = {
  rel: 'scope_touches',
  weight: WEIGHT.scopeTouches,
} as const;

/** `scope_contains` when the scope is a case-insensitive substring of the path. */
function addScopes(
  graph: DiGraph,
  scopes: readonly string[],
  files: readonly string[],
): void {
  const lowered = files.map((file) => file.toLowerCase());
  const fileNodes = files.map((file) => graph.ensureNode(file));
  for (const scope of scopes) {
    graph.addNode(scope, 'scope');
    const scopeNode = graph.ensureNode(scope);
    const needle = scope.toLowerCase();
    for (let k = 0; k < files.length; k++) {
      const contains = (lowered[k] ?? '').includes(needle);
      const data = contains ? SCOPE_CONTAINS : SCOPE_TOUCHES;
      graph.addEdgeAt(scopeNode, fileNodes[k] ?? -1, data);
    }
  }
}

function addIntent(graph: DiGraph, input: RiskInput): void {
  for (const dependency of input.dependencies) {
    graph.addNode(dependency, 'dependency');
    graph.addEdge(input.intentId, dependency, {
      rel: 'depends_on',
      weight: WEIGHT.dependsOn,
    });
  }
  graph.addNode(input.intentId, 'intent');
  graph.addEdge(input.intentId, input.target, {
    rel: 'merge_target',
    weight: WEIGHT.mergeTarget,
  });
}

/** Co-change edges both ways, `min(1, n * 0.1)`, when either file changed. */
function addCoChange(
  graph: DiGraph,
  files: readonly string[],
  pairs: readonly CoChangePair[],
): void {
  const changed = new Set(files);
  for (const { a, b, count } of pairs) {
    if (!changed.has(a) && !changed.has(b)) continue;
    const weight = Math.min(1.0, count * WEIGHT.coChangeFactor);
    if (!graph.hasNode(a)) graph.addNode(a, 'file');
    if (!graph.hasNode(b)) graph.addNode(b, 'file');
    graph.addEdge(a, b, { rel: 'co_change', weight });
    graph.addEdge(b, a, { rel: 'co_change', weight });
  }
}

/**
 * Builds the dependency graph of `input` (see the module comment for edge
 * kinds, weights and order).
 */
export function buildDependencyGraph(input: RiskInput): DiGraph {
  const graph = new DiGraph();
  const parents = input.filesChanged.map(parentDirectory);
  addFilesAndDirectories(graph, input.filesChanged, parents);
  addCoLocation(graph, input.filesChanged, parents);
  addScopes(graph, input.scopeHints, input.filesChanged);
  addIntent(graph, input);
  addCoChange(graph, input.filesChanged, input.coChange ?? []);
  return graph;
}
