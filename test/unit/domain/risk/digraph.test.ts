import { describe, expect, it } from 'vitest';
import { DiGraph } from '../../../../shared/domain/risk/digraph.js';

describe('DiGraph', () => {
  it('keeps one namespace: re-adding a node overwrites its kind, not its place', () => {
    // Prepare
    const graph = new DiGraph();
    graph.addNode('src', 'file');
    graph.addNode('other', 'scope');

    // Act
    graph.addNode('src', 'directory');
    graph.addNode('other');

    // Assess
    expect([...graph.nodes()]).toEqual(['src', 'other']);
    expect(graph.kindOf('src')).toBe('directory');
    expect(graph.kindOf('other')).toBe('scope');
  });

  it('adds missing endpoints without a kind', () => {
    // Prepare
    const graph = new DiGraph();

    // Act
    graph.addEdge('test-001', 'main', { rel: 'merge_target', weight: 1 });

    // Assess
    expect(graph.nodeCount).toBe(2);
    expect(graph.kindOf('main')).toBeUndefined();
    expect(graph.kindOf('nowhere')).toBeUndefined();
  });

  it('overwrites edge data in place when an edge is re-added', () => {
    // Prepare
    const graph = new DiGraph();
    graph.addEdge('a', 'b', { rel: 'co_located', weight: 0.2 });
    graph.addEdge('a', 'c', { rel: 'co_located', weight: 0.2 });

    // Act
    graph.addEdge('a', 'b', { rel: 'co_change', weight: 0.7 });

    // Assess
    expect(graph.edgeCount).toBe(2);
    expect([...graph.successors('a')]).toEqual([
      ['b', { rel: 'co_change', weight: 0.7 }],
      ['c', { rel: 'co_located', weight: 0.2 }],
    ]);
    expect(graph.predecessors('b').get('a')?.weight).toBe(0.7);
  });

  it('adds an edge only if absent when asked to', () => {
    // Prepare
    const graph = new DiGraph();
    graph.addEdge('a', 'b', { rel: 'scope_contains', weight: 0.5 });

    // Act
    const added = graph.addEdgeIfAbsent('a', 'b', {
      rel: 'co_located',
      weight: 0.2,
    });
    const addedBack = graph.addEdgeIfAbsent('b', 'a', {
      rel: 'co_located',
      weight: 0.2,
    });

    // Assess
    expect(added).toBe(false);
    expect(addedBack).toBe(true);
    expect(graph.successors('a').get('b')?.rel).toBe('scope_contains');
    expect(
      graph.addEdgeIfAbsentAt(99, 0, { rel: 'co_change', weight: 1 }),
    ).toBe(false);
  });

  it('counts a self-loop as an edge', () => {
    // Prepare
    const graph = new DiGraph();

    // Act
    graph.addEdge('a', 'a', { rel: 'co_located', weight: 0.2 });

    // Assess
    expect(graph.edgeCount).toBe(1);
    expect(graph.hasEdge('a', 'a')).toBe(true);
    expect(graph.hasEdge('a', 'x')).toBe(false);
  });

  it('snapshots to an indexed graph in insertion order', () => {
    // Prepare
    const graph = new DiGraph();
    graph.addNode('x', 'file');
    graph.addEdge('y', 'x', { rel: 'scope_touches', weight: 0.2 });
    graph.addEdge('x', 'z', { rel: 'contained_in', weight: 0.3 });

    // Act
    const indexed = graph.toIndexed();
    graph.addNode('late');

    // Assess
    expect(indexed.ids).toEqual(['x', 'y', 'z']);
    expect(indexed.kinds).toEqual(['file', undefined, undefined]);
    expect(indexed.succ).toEqual([[2], [0], []]);
    expect(indexed.succWeight).toEqual([[0.3], [0.2], []]);
    expect(indexed.pred).toEqual([[1], [], [0]]);
    expect(indexed.index.get('z')).toBe(2);
    expect(indexed.edgeCount).toBe(2);
  });
});
