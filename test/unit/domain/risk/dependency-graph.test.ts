import { describe, expect, it } from 'vitest';
import { buildDependencyGraph } from '../../../../shared/domain/risk/dependency-graph.js';
import type { RiskInput } from '../../../../shared/domain/risk/risk-types.js';

function input(overrides: Partial<RiskInput> = {}): RiskInput {
  return {
    intentId: 'test-001',
    source: 'feature/x',
    target: 'main',
    riskLevel: 'medium',
    dependencies: [],
    scopeHints: [],
    filesChanged: ['a.py', 'b.py'],
    conflicts: [],
    ...overrides,
  };
}

function edgesOf(graph: ReturnType<typeof buildDependencyGraph>) {
  return [...graph.nodes()].flatMap((from) =>
    [...graph.successors(from)].map(
      ([to, data]) => `${from}>${to} ${data.rel} ${data.weight}`,
    ),
  );
}

describe('buildDependencyGraph', () => {
  it('inserts nodes in the original order: file, its new directory, scopes, deps, intent, target', () => {
    // Prepare
    const change = input({
      filesChanged: [
        'src/auth/login.py',
        'src/auth/logout.py',
        'src/db/conn.py',
      ],
      scopeHints: ['auth', 'api'],
      dependencies: ['dep-001'],
    });

    // Act
    const graph = buildDependencyGraph(change);

    // Assess
    expect([...graph.nodes()]).toEqual([
      'src/auth/login.py',
      'src/auth',
      'src/auth/logout.py',
      'src/db/conn.py',
      'src/db',
      'auth',
      'api',
      'dep-001',
      'test-001',
      'main',
    ]);
    expect(graph.edgeCount).toBe(13);
    expect(graph.kindOf('main')).toBeUndefined();
    expect(graph.kindOf('test-001')).toBe('intent');
  });

  it('builds the edges with the reference weights', () => {
    // Prepare
    const change = input({
      filesChanged: ['src/Auth/x.py', 'src/Auth/y.py'],
      scopeHints: ['auth'],
      dependencies: ['dep-1'],
    });

    // Act
    const edges = edgesOf(buildDependencyGraph(change));

    // Assess
    expect(edges).toEqual([
      'src/Auth/x.py>src/Auth contained_in 0.3',
      'src/Auth/x.py>src/Auth/y.py co_located 0.2',
      'src/Auth/y.py>src/Auth contained_in 0.3',
      'src/Auth/y.py>src/Auth/x.py co_located 0.2',
      'auth>src/Auth/x.py scope_contains 0.5',
      'auth>src/Auth/y.py scope_contains 0.5',
      'test-001>dep-1 depends_on 0.8',
      'test-001>main merge_target 1',
    ]);
  });

  it('groups root files under "." so they are co-located, without a directory node', () => {
    // Act
    const graph = buildDependencyGraph(input());

    // Assess
    expect([...graph.nodes()]).toEqual(['a.py', 'b.py', 'test-001', 'main']);
    expect(graph.hasEdge('a.py', 'b.py')).toBe(true);
    expect(graph.hasEdge('b.py', 'a.py')).toBe(true);
  });

  it('marks a non-matching scope as scope_touches', () => {
    // Act
    const graph = buildDependencyGraph(input({ scopeHints: ['api'] }));

    // Assess
    expect(graph.successors('api').get('a.py')).toEqual({
      rel: 'scope_touches',
      weight: 0.2,
    });
  });

  it('shares one namespace: a scope named like a file overwrites its kind', () => {
    // Act
    const graph = buildDependencyGraph(input({ scopeHints: ['a.py'] }));

    // Assess
    expect(graph.kindOf('a.py')).toBe('scope');
    expect(graph.nodeCount).toBe(4);
    expect(graph.successors('a.py').get('b.py')?.rel).toBe('scope_touches');
  });

  it('adds co-change partners as file nodes, both ways, weight min(1, n * 0.1)', () => {
    // Act
    const graph = buildDependencyGraph(
      input({
        coChange: [
          { a: 'a.py', b: 'c.py', count: 5 },
          { a: 'd.py', b: 'b.py', count: 12 },
          { a: 'x.py', b: 'y.py', count: 9 },
        ],
      }),
    );

    // Assess
    expect(graph.kindOf('c.py')).toBe('file');
    expect(graph.successors('a.py').get('c.py')).toEqual({
      rel: 'co_change',
      weight: 0.5,
    });
    expect(graph.successors('c.py').get('a.py')?.weight).toBe(0.5);
    expect(graph.successors('b.py').get('d.py')?.weight).toBe(1);
    expect(graph.hasNode('x.py')).toBe(false);
  });

  it('lets a co-change edge overwrite a co-located edge in place', () => {
    // Act
    const graph = buildDependencyGraph(
      input({ coChange: [{ a: 'a.py', b: 'b.py', count: 3 }] }),
    );

    // Assess
    expect(graph.successors('a.py').get('b.py')).toEqual({
      rel: 'co_change',
      weight: 0.30000000000000004,
    });
    expect(graph.edgeCount).toBe(3);
  });
});
