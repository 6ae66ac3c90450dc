import { describe, expect, it } from 'vitest';
import { DiGraph } from '../../../../shared/domain/risk/digraph.js';
import {
  countDescendantsOfAll,
  countWeakComponents,
  dagLongestPathLength,
  directedDensity,
  topologicalOrder,
} from '../../../../shared/domain/risk/graph-algorithms.js';
import { findSimpleCycles } from '../../../../shared/domain/risk/simple-cycles.js';

type Edge = readonly [string, string, number?];

function graphOf(edges: readonly Edge[], isolated: readonly string[] = []) {
  const graph = new DiGraph();
  for (const node of isolated) graph.addNode(node);
  for (const [from, to, weight = 1] of edges) {
    graph.addEdge(from, to, { rel: 'co_change', weight });
  }
  return graph.toIndexed();
}

function complete(size: number): Edge[] {
  const names = Array.from({ length: size }, (_, i) => `n${i}`);
  return names.flatMap((a) =>
    names.filter((b) => b !== a).map((b): Edge => [a, b]),
  );
}

/** A reproducible G(n, p) digraph (LCG-driven). */
function randomGraph(size: number, density: number, seed: number) {
  const names = Array.from({ length: size }, (_, i) => `v${i}`);
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const edges = names.flatMap((a) =>
    names.filter(() => next() < density).map((b): Edge => [a, b]),
  );
  return graphOf(edges, names);
}

/** networkx `descendants`: reachable by >= 1 edge, never the source itself. */
function descendantsOf(graph: ReturnType<typeof graphOf>, source: number) {
  const seen = new Set<number>();
  const queue = [...(graph.succ[source] ?? [])];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (seen.has(node)) continue;
    seen.add(node);
    queue.push(...(graph.succ[node] ?? []));
  }
  seen.delete(source);
  return [...seen];
}

function longestPath(edges: readonly Edge[]): number | undefined {
  const graph = graphOf(edges);
  const order = topologicalOrder(graph);
  return order && dagLongestPathLength(graph, order);
}

describe('countWeakComponents', () => {
  it('counts components of the undirected view, isolated nodes included', () => {
    // Prepare
    const graph = graphOf(
      [
        ['a', 'b'],
        ['c', 'b'],
        ['d', 'e'],
      ],
      ['z'],
    );

    // Act
    const components = countWeakComponents(graph);

    // Assess
    expect(components).toBe(3);
  });
});

describe('directedDensity', () => {
  it('is m / (n (n - 1)), and 0 without edges or below two nodes', () => {
    // Assess
    expect(directedDensity(4, 3)).toBe(0.25);
    expect(directedDensity(1, 1)).toBe(0);
    expect(directedDensity(5, 0)).toBe(0);
  });
});

describe('topologicalOrder', () => {
  it('lists generations in node and edge insertion order', () => {
    // Prepare
    const graph = graphOf(
      [
        ['a', 'c'],
        ['b', 'c'],
        ['a', 'd'],
        ['c', 'e'],
      ],
      ['a', 'b', 'e', 'd', 'c'],
    );

    // Act
    const order = topologicalOrder(graph)?.map((i) => graph.ids[i]);

    // Assess
    expect(order).toEqual(['a', 'b', 'd', 'c', 'e']);
  });

  it('is undefined for a cyclic graph, self-loops included', () => {
    // Assess
    expect(topologicalOrder(graphOf([['a', 'a']]))).toBeUndefined();
    expect(
      topologicalOrder(
        graphOf([
          ['a', 'b'],
          ['b', 'a'],
        ]),
      ),
    ).toBeUndefined();
  });
});

describe('dagLongestPathLength', () => {
  it('takes the heaviest path, not the longest in edges', () => {
    // Act
    const length = longestPath([
      ['x', 'y', 0.5],
      ['y', 'z', 0.3],
      ['w', 'z', 1.0],
    ]);

    // Assess
    expect(length).toBe(1.0);
  });

  it('re-sums the chosen path from its start, as networkx does', () => {
    // Act
    const length = longestPath([
      ['a', 'b', 0.1],
      ['b', 'c', 0.2],
    ]);

    // Assess
    expect(length).toBe(0.30000000000000004);
  });

  it('restarts at a node whose best incoming distance is negative', () => {
    // Act
    const length = longestPath([
      ['a', 'b', -1],
      ['b', 'c', 0.5],
    ]);

    // Assess
    expect(length).toBe(0.5);
  });

  it('is 0 for nodes without edges and for an empty graph', () => {
    // Assess
    expect(dagLongestPathLength(graphOf([], ['a', 'b']), [0, 1])).toBe(0);
    expect(dagLongestPathLength(graphOf([]), [])).toBe(0);
  });
});

describe('countDescendantsOfAll', () => {
  it('never counts a source among its own descendants', () => {
    // Prepare
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'a'],
      ['b', 'c'],
    ]);
    const a = graph.index.get('a') ?? -1;
    const b = graph.index.get('b') ?? -1;

    // Act
    const fromA = countDescendantsOfAll(graph, [a]);
    const fromBoth = countDescendantsOfAll(graph, [a, b]);

    // Assess: desc(a) = {b, c}; desc(a) ∪ desc(b) = {a, b, c}
    expect(fromA).toBe(2);
    expect(fromBoth).toBe(3);
  });

  it('matches a per-source traversal on a random graph', () => {
    // Prepare
    const graph = randomGraph(30, 0.06, 7);
    const sources = [0, 3, 5, 11, 17];
    const union = new Set(sources.flatMap((s) => descendantsOf(graph, s)));

    // Act
    const count = countDescendantsOfAll(graph, sources);

    // Assess
    expect(count).toBe(union.size);
  });
});

describe('findSimpleCycles', () => {
  it('finds the 5 cycles of a complete digraph on 3 nodes and 20 on 4', () => {
    // Assess
    expect(findSimpleCycles(graphOf(complete(3)), 100)).toHaveLength(5);
    expect(findSimpleCycles(graphOf(complete(4)), 100)).toHaveLength(20);
  });

  it('ignores self-loops', () => {
    // Prepare
    const graph = graphOf([
      ['a', 'a'],
      ['a', 'b'],
    ]);

    // Act
    const cycles = findSimpleCycles(graph, 20);

    // Assess
    expect(cycles).toEqual([]);
  });

  it('lists cycles as node sequences that close', () => {
    // Prepare
    const graph = graphOf([
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['x', 'y'],
      ['y', 'x'],
    ]);

    // Act
    const cycles = findSimpleCycles(graph, 20);

    // Assess
    const named = cycles.map((c) => c.map((i) => graph.ids[i]).join('>'));
    expect(named.sort()).toEqual(['a>b>c', 'x>y']);
  });

  it('stops at the cap, even on a graph with astronomically many cycles', () => {
    // Prepare: K60 has more than 10^80 simple cycles
    const graph = graphOf(complete(60));
    const started = performance.now();

    // Act
    const cycles = findSimpleCycles(graph, 20);

    // Assess
    expect(cycles).toHaveLength(20);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops at the cap on a dense graph without 2-cycles (a tournament)', () => {
    // Prepare: every pair joined one way only, so the general search runs
    const size = 80;
    const edges: Edge[] = [];
    for (let a = 0; a < size; a++) {
      for (let b = a + 1; b < size; b++) {
        edges.push(
          (a * 7 + b * 13) % 3 === 0 ? [`t${a}`, `t${b}`] : [`t${b}`, `t${a}`],
        );
      }
    }
    const graph = graphOf(edges);
    const started = performance.now();

    // Act
    const cycles = findSimpleCycles(graph, 20);

    // Assess
    expect(cycles).toHaveLength(20);
    expect(cycles.every((cycle) => cycle.length >= 3)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts 2-cycles and longer cycles together below the cap', () => {
    // Prepare: 19 mutual pairs plus one 3-cycle
    const edges: Edge[] = [];
    for (let i = 0; i < 19; i++) {
      edges.push([`p${i}`, `q${i}`], [`q${i}`, `p${i}`]);
    }
    edges.push(['x', 'y'], ['y', 'z'], ['z', 'x']);

    // Act
    const capped = findSimpleCycles(graphOf(edges), 20);
    const all = findSimpleCycles(graphOf(edges), 100);

    // Assess
    expect(capped).toHaveLength(20);
    expect(all).toHaveLength(20);
  });

  it('returns nothing for a cap of 0 or an empty graph', () => {
    // Assess
    expect(findSimpleCycles(graphOf(complete(3)), 0)).toEqual([]);
    expect(findSimpleCycles(graphOf([]), 10)).toEqual([]);
  });
});
