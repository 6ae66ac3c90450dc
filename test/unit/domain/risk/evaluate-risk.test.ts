import { describe, expect, it } from 'vitest';
import {
  buildDiagnostics,
  evaluateRisk,
  type RiskInput,
  toSnakeCasePayload,
} from '../../../../shared/domain/risk/index.js';

function change(overrides: Partial<RiskInput> = {}): RiskInput {
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

const CASE_D = change({
  filesChanged: ['src/auth/login.py', 'src/auth/logout.py', 'src/db/conn.py'],
  scopeHints: ['auth', 'api'],
  dependencies: ['dep-001'],
});

const CASE_F = change({
  riskLevel: 'critical',
  filesChanged: Array.from({ length: 25 }, (_, i) => `f${i}.py`),
  conflicts: ['x.py'],
  dependencies: ['a', 'b', 'c', 'd', 'e'],
  scopeHints: ['core', 'db', 'api'],
});

describe('evaluateRisk', () => {
  it('reports graph metrics as networkx computes them (case D)', () => {
    // Act
    const { graphMetrics } = evaluateRisk(CASE_D);

    // Assess: values printed by the networkx-based reference
    expect(graphMetrics).toStrictEqual({
      nodes: 10,
      edges: 13,
      pagerankMax: 0.1964,
      pagerankTop: [
        { node: 'src/auth', rank: 0.1964 },
        { node: 'src/auth/login.py', rank: 0.138 },
        { node: 'src/auth/logout.py', rank: 0.138 },
        { node: 'src/db', rank: 0.123 },
        { node: 'main', rank: 0.0819 },
      ],
      criticalFiles: [
        { file: 'src/auth/login.py', pagerank: 0.138 },
        { file: 'src/auth/logout.py', pagerank: 0.138 },
        { file: 'src/db/conn.py', pagerank: 0.0793 },
      ],
      components: 2,
      density: 0.1444,
    });
  });

  it('keeps insertion order among equal ranks (case F)', () => {
    // Act
    const { graphMetrics } = evaluateRisk(CASE_F);

    // Assess
    expect(graphMetrics.pagerankTop.map((p) => p.node)).toEqual([
      'f0.py',
      'f1.py',
      'f2.py',
      'f3.py',
      'f4.py',
    ]);
    expect(graphMetrics.density).toBe(0.5723);
  });

  it('builds the impact edges: target, dependencies, scopes, first 20 files', () => {
    // Act
    const { impactEdges } = evaluateRisk(CASE_F);

    // Assess
    expect(impactEdges[0]).toEqual({
      source: 'feature/x',
      target: 'main',
      type: 'merge_target',
      weight: 1.0,
    });
    expect(impactEdges.map((e) => e.type)).toEqual([
      'merge_target',
      ...Array(5).fill('depends_on'),
      ...Array(3).fill('touches_scope'),
      ...Array(20).fill('modifies_file'),
    ]);
  });

  it('detects spiral and thermal death with the original messages (case F)', () => {
    // Act
    const { bombs } = evaluateRisk(CASE_F);

    // Assess
    expect(bombs.map((b) => [b.type, b.severity, b.message])).toEqual([
      ['spiral', 'medium', '10 circular dependency cycle(s) detected'],
      [
        'thermal_death',
        'critical',
        '4/5 entropy indicators elevated: files=25, conflicts=1, deps=5, ' +
          'components=2, edge_density=681/35',
      ],
    ]);
    const spiral = bombs[0];
    expect(spiral?.type === 'spiral' && spiral.cycles).toHaveLength(3);
  });

  it('detects a cascade from a changed file that fans out to coupled files', () => {
    // Prepare
    const coupled = change({
      filesChanged: ['a.py'],
      coChange: [1, 2, 3].map((i) => ({ a: 'a.py', b: `x${i}.py`, count: 10 })),
    });

    // Act
    const cascade = evaluateRisk(coupled).bombs.find(
      (b) => b.type === 'cascade',
    );

    // Assess: networkx gives trigger ['a.py'] and blast radius 3
    expect(cascade).toEqual({
      type: 'cascade',
      severity: 'high',
      message:
        'Change touches 1 high-centrality node(s) with potential cascade to 3 nodes',
      triggerNodes: ['a.py'],
      blastRadius: 3,
    });
  });

  it('emits findings for size, dependency spread, core target and conflicts', () => {
    // Act
    const { findings } = evaluateRisk(CASE_F);

    // Assess
    expect(findings).toEqual([
      {
        code: 'semantic.large_change',
        severity: 'high',
        message: 'Change touches 25 files',
      },
      {
        code: 'semantic.dependency_spread',
        severity: 'medium',
        message: 'Depends on 5 other intents',
      },
      {
        code: 'semantic.core_target',
        severity: 'high',
        message: 'Targets core branch: main',
      },
      {
        code: 'semantic.merge_conflict',
        severity: 'critical',
        message: '1 merge conflict(s) detected',
      },
    ]);
  });

  it('sorts diagnostics by severity, stable within a severity (case F)', () => {
    // Act
    const { diagnostics } = evaluateRisk(CASE_F);

    // Assess
    expect(diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual([
      'critical diag.high_risk',
      'critical diag.merge_conflict',
      'critical diag.bomb.thermal_death',
      'critical semantic.merge_conflict',
      'high diag.high_entropy',
      'high diag.high_propagation',
      'high diag.high_entropic_load',
      'high diag.high_contextual_value',
      'high semantic.large_change',
      'high semantic.core_target',
      'medium diag.low_containment',
      'medium diag.path_dependent',
      'medium diag.bomb.spiral',
      'medium semantic.dependency_spread',
    ]);
  });

  it('prints scores in diagnostics with Python half-even formatting', () => {
    // Act
    const f = evaluateRisk(CASE_F).diagnostics;
    const d = evaluateRisk(CASE_D).diagnostics;
    const text = (list: typeof f, code: string) =>
      list.find((x) => x.code === code)?.explanation;

    // Assess: 88.5 prints as 88 and 70.5 as 70, like Python's {:.0f}
    expect(text(f, 'diag.high_risk')).toBe(
      'Combined risk score 88 exceeds safe threshold',
    );
    expect(text(f, 'diag.low_containment')).toBe(
      'Containment 0.00 is below acceptable levels',
    );
    expect(text(f, 'diag.merge_conflict')).toBe(
      'Merge has 1 conflict(s): x.py',
    );
    expect(text(d, 'diag.high_contextual_value')).toBe(
      'Change touches critical files (contextual value: 70)',
    );
    expect(text(d, 'diag.high_propagation')).toBe(
      'Change propagation score 42 indicates wide blast radius',
    );
  });

  it('uses the mergeable flag when given, else "no conflicts"', () => {
    // Act
    const flagged = evaluateRisk(change({ mergeable: false })).diagnostics;
    const clean = evaluateRisk(change()).diagnostics;

    // Assess
    expect(flagged.map((d) => d.code)).toContain('diag.merge_conflict');
    expect(clean.map((d) => d.code)).not.toContain('diag.merge_conflict');
  });
});

describe('buildDiagnostics', () => {
  it('skips signal rules when signals are absent (the review path)', () => {
    // Act
    const diagnostics = buildDiagnostics({
      riskScore: 85,
      entropyScore: 45,
      propagationScore: 50,
      containmentScore: 0.3,
      bombs: [],
      findings: [],
      mergeable: false,
      conflicts: ['a.py', 'b.py'],
    });

    // Assess
    expect(diagnostics.map((d) => d.code)).toEqual([
      'diag.high_risk',
      'diag.merge_conflict',
      'diag.high_entropy',
      'diag.high_propagation',
      'diag.low_containment',
    ]);
    expect(diagnostics[0]?.severity).toBe('critical');
  });
});

describe('toSnakeCasePayload', () => {
  it("gives the original's RiskEval.to_dict() shape", () => {
    // Prepare
    const evaluation = evaluateRisk(change());

    // Act
    const payload = toSnakeCasePayload(evaluation);

    // Assess
    expect(payload).toStrictEqual({
      intent_id: 'test-001',
      risk_score: 23.6,
      damage_score: 35.9,
      entropy_score: 9,
      propagation_score: 20.8,
      containment_score: 0.82,
      signals: {
        entropic_load: 9,
        contextual_value: 64.4,
        complexity_delta: 17.5,
        path_dependence: 5,
      },
      findings: [
        {
          code: 'semantic.core_target',
          severity: 'high',
          message: 'Targets core branch: main',
        },
      ],
      impact_edges: [
        {
          source: 'feature/x',
          target: 'main',
          type: 'merge_target',
          weight: 1,
        },
        {
          source: 'test-001',
          target: 'a.py',
          type: 'modifies_file',
          weight: 0.3,
        },
        {
          source: 'test-001',
          target: 'b.py',
          type: 'modifies_file',
          weight: 0.3,
        },
      ],
      graph_metrics: {
        nodes: 4,
        edges: 3,
        pagerank_max: 0.4119,
        pagerank_top: [
          { node: 'a.py', rank: 0.4119 },
          { node: 'b.py', rank: 0.4119 },
          { node: 'main', rank: 0.1143 },
          { node: 'test-001', rank: 0.0618 },
        ],
        critical_files: [
          { file: 'a.py', pagerank: 0.4119 },
          { file: 'b.py', pagerank: 0.4119 },
        ],
        components: 2,
        density: 0.25,
      },
      bombs: [],
    });
  });

  it('converts bombs to snake_case and adds envelope fields when given', () => {
    // Prepare
    const evaluation = evaluateRisk(
      change({
        filesChanged: ['a.py'],
        coChange: [1, 2, 3].map((i) => ({
          a: 'a.py',
          b: `x${i}.py`,
          count: 10,
        })),
      }),
    );

    // Act
    const payload = toSnakeCasePayload(evaluation, {
      timestamp: '2026-01-01T00:00:00.000Z',
      tenantId: null,
    });

    // Assess
    expect(payload.bombs[0]).toMatchObject({
      type: 'cascade',
      trigger_nodes: ['a.py'],
      blast_radius: 3,
    });
    expect(payload.bombs[1]).toHaveProperty('cycles');
    expect(payload.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(payload.tenant_id).toBeNull();
  });
});
