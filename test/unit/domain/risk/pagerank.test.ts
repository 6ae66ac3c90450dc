import { describe, expect, it } from 'vitest';
import { DiGraph } from '../../../../shared/domain/risk/digraph.js';
import {
  pairwiseSum,
  weightedPageRank,
} from '../../../../shared/domain/risk/pagerank.js';
import { PageRankConvergenceError } from '../../../../shared/domain/risk/risk.errors.js';

type Edge = readonly [string, string, number];

function graphOf(edges: readonly Edge[], isolated: readonly string[] = []) {
  const graph = new DiGraph();
  for (const [from, to, weight] of edges) {
    graph.addEdge(from, to, { rel: 'co_change', weight });
  }
  for (const node of isolated) graph.addNode(node);
  return graph.toIndexed();
}

function ranks(edges: readonly Edge[], isolated: readonly string[] = []) {
  const graph = graphOf(edges, isolated);
  const vector = weightedPageRank(graph);
  return Object.fromEntries(graph.ids.map((id, i) => [id, vector[i]]));
}

describe('weightedPageRank', () => {
  it('gives two nodes in a 2-cycle half each', () => {
    // Act
    const result = ranks([
      ['a', 'b', 0.2],
      ['b', 'a', 0.2],
    ]);

    // Assess
    expect(result.a).toBeCloseTo(0.5, 10);
    expect(result.b).toBeCloseTo(0.5, 10);
  });

  it('spreads a dangling node uniformly (a -> b: 20/57 and 37/57)', () => {
    // Prepare: x_a = 0.85 x_b / 2 + 0.075 and x_a + x_b = 1

    // Act
    const result = ranks([['a', 'b', 1]]);

    // Assess
    expect(result.a).toBeCloseTo(20 / 57, 5);
    expect(result.b).toBeCloseTo(37 / 57, 5);
  });

  it('normalises out-weights per node (a -> b 3, a -> c 1, back edges 1)', () => {
    // Prepare: x_a = 0.85 (1 - x_a) + 0.05, so x_a = 18/37;
    // x_b = 0.85 * 0.75 x_a + 0.05 and x_c = 0.85 * 0.25 x_a + 0.05

    // Act
    const result = ranks([
      ['a', 'b', 3],
      ['a', 'c', 1],
      ['b', 'a', 1],
      ['c', 'a', 1],
    ]);

    // Assess
    expect(result.a).toBeCloseTo(18 / 37, 5);
    expect(result.b).toBeCloseTo(0.6375 * (18 / 37) + 0.05, 5);
    expect(result.c).toBeCloseTo(0.2125 * (18 / 37) + 0.05, 5);
  });

  it('gives an edgeless graph the uniform vector', () => {
    // Act
    const result = ranks([], ['x', 'y', 'z', 'w']);

    // Assess
    for (const rank of Object.values(result)) expect(rank).toBe(0.25);
  });

  it('reproduces networkx 3.6.1 bit for bit on golden case A', () => {
    // Prepare: values printed by nx.pagerank(G, weight="weight")

    // Act
    const result = ranks(
      [
        ['a.py', 'b.py', 0.2],
        ['b.py', 'a.py', 0.2],
        ['test-001', 'main', 1.0],
      ],
      [],
    );

    // Assess
    expect(result).toStrictEqual({
      'a.py': 0.41194547941316084,
      'b.py': 0.41194547941316084,
      'test-001': 0.0617925103994819,
      main: 0.11431653077419644,
    });
  });

  it('reproduces networkx 3.6.1 bit for bit on a weighted graph', () => {
    // Act
    const result = ranks([
      ['a', 'b', 3.0],
      ['a', 'c', 1.0],
      ['b', 'a', 1.0],
      ['c', 'a', 1.0],
      ['c', 'd', 0.5],
      ['e', 'a', 0.1],
    ]);

    // Assess
    expect(result).toStrictEqual({
      a: 0.42498487247764966,
      b: 0.31486426086855795,
      c: 0.13424481413560396,
      d: 0.08197096174906163,
      e: 0.04393509076912695,
    });
  });

  it('sums to one', () => {
    // Act
    const vector = weightedPageRank(
      graphOf([
        ['a', 'b', 0.3],
        ['b', 'c', 0.2],
        ['c', 'a', 0.5],
        ['c', 'd', 1],
      ]),
    );

    // Assess
    expect(vector.reduce((sum, x) => sum + x, 0)).toBeCloseTo(1, 12);
  });

  it('returns an empty vector for an empty graph', () => {
    // Act
    const vector = weightedPageRank(graphOf([]));

    // Assess
    expect(vector).toHaveLength(0);
  });

  it('throws PageRankConvergenceError when the iteration budget runs out', () => {
    // Prepare
    const graph = graphOf([['a', 'b', 1]]);

    // Act
    const run = () => weightedPageRank(graph, { maxIterations: 2 });

    // Assess
    expect(run).toThrow(PageRankConvergenceError);
  });
});

describe('pairwiseSum', () => {
  it('matches numpy.sum, which differs from a sequential sum', () => {
    // Prepare: numpy prints 2.4000000000000004, Python's sum() 2.4
    const values = [...Array(10).fill(0.1), ...Array(7).fill(0.2)];

    // Act
    const total = pairwiseSum(values);

    // Assess
    expect(total).toBe(2.4000000000000004);
    expect(values.reduce((sum, x) => sum + x, 0)).toBe(2.4);
  });

  it('sums a sub-range; an empty range is -0 as in NumPy', () => {
    // Assess
    expect(pairwiseSum([100, 1, 2, 3], 1)).toBe(6);
    expect(pairwiseSum([1, 2, 3], 0, 0)).toBe(-0);
  });

  it('handles the recursive split above 128 items', () => {
    // Prepare
    const values = Array.from({ length: 1000 }, (_, i) => i);

    // Act
    const total = pairwiseSum(values);

    // Assess
    expect(total).toBe(499500);
  });
});
