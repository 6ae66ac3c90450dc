import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDependencyGraph,
  containmentScore,
  evaluateRisk,
  type RiskInput,
  roundHalfEven,
} from '../../../../shared/domain/risk/index.js';

/**
 * Reference §8 "Risk" acceptance cases as properties. Generated names never
 * collide across node kinds (files `dN/fM.ts`, dependencies `dep-N`, scopes
 * from a fixed list), because a collision legitimately merges nodes.
 */

const SCOPES = ['alpha', 'D1', 'F3', 'E2', 'beta', 'gamma'];

const fileArb = fc
  .tuple(
    fc.constantFrom('', 'd0/', 'd1/', 'd1/e2/', 'd2/', 'd3/'),
    fc.integer({ min: 0, max: 60 }),
  )
  .map(([dir, n]) => `${dir}f${n}.ts`);

const changeArb: fc.Arbitrary<RiskInput> = fc.record({
  intentId: fc.constant('test-001'),
  source: fc.constant('feature/x'),
  target: fc.constantFrom('main', 'dev', 'release'),
  riskLevel: fc.constantFrom('low', 'medium', 'high', 'critical'),
  dependencies: fc.uniqueArray(
    fc.integer({ min: 0, max: 9 }).map((n) => `dep-${n}`),
    { maxLength: 4 },
  ),
  scopeHints: fc.subarray(SCOPES.slice(0, 4)),
  filesChanged: fc.uniqueArray(fileArb, { maxLength: 14 }),
  conflicts: fc.array(fileArb, { maxLength: 2 }),
  coChange: fc.array(
    fc.record({
      a: fileArb,
      b: fc.oneof(fileArb, fc.constantFrom('ext/x1.ts', 'ext/x2.ts')),
      count: fc.integer({ min: 1, max: 15 }),
    }),
    { maxLength: 3 },
  ),
});

/** A name used nowhere in a generated change. */
const FRESH = ['fresh/new.ts', 'dep-fresh', 'x.py'];

function signals(input: RiskInput) {
  return evaluateRisk(input).signals;
}

const risesOrCapped = (before: number, after: number) =>
  after > before || before === 100;

describe('risk signals: §8 monotonicity', () => {
  // With no file yet, each scope node is its own component and the first
  // file merges them, so the property holds from the first file on.
  it('more files raise the entropic load of a non-empty change', () => {
    fc.assert(
      fc.property(changeArb, fileArb, (change, extra) => {
        fc.pre(change.filesChanged.length > 0);
        fc.pre(!change.filesChanged.includes(extra));
        fc.pre(!change.coChange?.some((p) => p.a === extra || p.b === extra));
        const before = signals(change).entropicLoad;
        const after = signals({
          ...change,
          filesChanged: [...change.filesChanged, extra],
        }).entropicLoad;
        expect(risesOrCapped(before, after)).toBe(true);
      }),
    );
  });

  it('more conflicts raise the entropic load and the path dependence', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        const before = signals(change);
        const after = signals({
          ...change,
          conflicts: [...change.conflicts, FRESH[2] ?? ''],
        });
        expect(risesOrCapped(before.entropicLoad, after.entropicLoad)).toBe(
          true,
        );
        expect(risesOrCapped(before.pathDependence, after.pathDependence)).toBe(
          true,
        );
      }),
    );
  });

  it('more dependencies raise the entropic load and the path dependence', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        const before = signals(change);
        const after = signals({
          ...change,
          dependencies: [...change.dependencies, FRESH[1] ?? ''],
        });
        expect(risesOrCapped(before.entropicLoad, after.entropicLoad)).toBe(
          true,
        );
        expect(risesOrCapped(before.pathDependence, after.pathDependence)).toBe(
          true,
        );
      }),
    );
  });

  it('more scope hints raise the complexity delta when files changed', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        fc.pre(change.filesChanged.length > 0);
        const before = signals(change).complexityDelta;
        const after = signals({
          ...change,
          scopeHints: [...change.scopeHints, 'gamma'],
        }).complexityDelta;
        expect(risesOrCapped(before, after)).toBe(true);
      }),
    );
  });

  it('three scopes raise the complexity delta of a.py, b.py (original example)', () => {
    // Prepare
    const base: RiskInput = {
      intentId: 'test-001',
      source: 'feature/x',
      target: 'main',
      riskLevel: 'medium',
      dependencies: [],
      scopeHints: [],
      filesChanged: ['a.py', 'b.py'],
      conflicts: [],
    };

    // Act
    const plain = signals(base).complexityDelta;
    const spread = signals({
      ...base,
      scopeHints: ['auth', 'db', 'api'],
    }).complexityDelta;

    // Assess
    expect(spread).toBeGreaterThan(plain);
  });

  it('a core target (main) gives a higher contextual value than dev', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        const main = signals({ ...change, target: 'main' }).contextualValue;
        const dev = signals({ ...change, target: 'dev' }).contextualValue;
        expect(main > dev || dev === 100).toBe(true);
      }),
    );
  });

  it('src/ paths give a higher contextual value than docs/ paths', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        fc.pre(change.filesChanged.length > 0);
        const under = (root: string): RiskInput => ({
          ...change,
          filesChanged: change.filesChanged.map((f) => `${root}/${f}`),
          coChange: change.coChange?.map((p) => ({
            ...p,
            a: `${root}/${p.a}`,
            b: `${root}/${p.b}`,
          })),
        });
        const src = signals(under('src')).contextualValue;
        const docs = signals(under('docs')).contextualValue;
        expect(src > docs || docs === 100).toBe(true);
      }),
    );
  });
});

describe('risk bombs and graph: §8 cases', () => {
  it('15 files, 1 conflict and 4 dependencies produce thermal_death', () => {
    // Act
    const result = evaluateRisk({
      intentId: 'test-001',
      source: 'feature/x',
      target: 'main',
      riskLevel: 'medium',
      dependencies: ['a', 'b', 'c', 'd'],
      scopeHints: [],
      filesChanged: Array.from({ length: 15 }, (_, i) => `f${i}.py`),
      conflicts: ['x.py'],
    });

    // Assess
    expect(result.bombs.map((b) => b.type)).toContain('thermal_death');
  });

  it('any change with > 10 files, a conflict and > 3 dependencies is thermal_death', () => {
    fc.assert(
      fc.property(
        changeArb,
        fc.uniqueArray(fileArb, { minLength: 11, maxLength: 30 }),
        (change, files) => {
          const result = evaluateRisk({
            ...change,
            filesChanged: files,
            conflicts: ['x.py'],
            dependencies: ['dep-a', 'dep-b', 'dep-c', 'dep-d'],
          });
          expect(result.bombs.map((b) => b.type)).toContain('thermal_death');
        },
      ),
    );
  });

  it('coupling a.py with c.py adds the node c.py', () => {
    // Prepare
    const change: RiskInput = {
      intentId: 'test-001',
      source: 'feature/x',
      target: 'main',
      riskLevel: 'medium',
      dependencies: [],
      scopeHints: [],
      filesChanged: ['a.py', 'b.py'],
      conflicts: [],
      coChange: [{ a: 'a.py', b: 'c.py', count: 5 }],
    };

    // Act
    const graph = buildDependencyGraph(change);

    // Assess
    expect(graph.hasNode('c.py')).toBe(true);
    expect(graph.hasEdge('a.py', 'c.py')).toBe(true);
    expect(evaluateRisk(change).graphMetrics.nodes).toBe(5);
  });

  it('a co-change pair touching the change adds its new partner as a file node', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        fc.pre(change.filesChanged.length > 0);
        const anchor = change.filesChanged[0] ?? '';
        const coupled = {
          ...change,
          coChange: [{ a: anchor, b: FRESH[0] ?? '', count: 3 }],
        };
        const graph = buildDependencyGraph(coupled);
        expect(graph.kindOf(FRESH[0] ?? '')).toBe('file');
      }),
    );
  });

  it('containment is 1.0 with nothing to count', () => {
    // Prepare
    const graph = buildDependencyGraph({
      intentId: 'test-001',
      source: 'feature/x',
      target: 'main',
      riskLevel: 'medium',
      dependencies: [],
      scopeHints: [],
      filesChanged: [],
      conflicts: [],
    });

    // Act
    const score = containmentScore({
      nodeCount: graph.nodeCount,
      components: 1,
      impactEdges: [],
      dependencies: [],
      scopeHints: [],
    });

    // Assess
    expect(score).toBe(1.0);
  });

  it('containment is below 0.5 with 5 dependencies and 15 impact edges', () => {
    // Act
    const score = containmentScore({
      nodeCount: 9,
      components: 2,
      impactEdges: Array.from({ length: 15 }, (_, i) => ({ target: `t${i}` })),
      dependencies: ['a', 'b', 'c', 'd', 'e'],
      scopeHints: [],
    });

    // Assess
    expect(score).toBeLessThan(0.5);
  });

  it('keeps every score in range with the original precision', () => {
    fc.assert(
      fc.property(changeArb, (change) => {
        const result = evaluateRisk(change);
        const oneDecimal = [
          ...Object.values(result.signals),
          result.riskScore,
          result.damageScore,
          result.propagationScore,
        ];
        for (const score of oneDecimal) {
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100);
          expect(roundHalfEven(score, 1)).toBe(score);
        }
        expect(result.containmentScore).toBeGreaterThanOrEqual(0);
        expect(result.containmentScore).toBeLessThanOrEqual(1);
        expect(roundHalfEven(result.containmentScore, 2)).toBe(
          result.containmentScore,
        );
        expect(result.entropyScore).toBe(result.signals.entropicLoad);
      }),
    );
  });
});
