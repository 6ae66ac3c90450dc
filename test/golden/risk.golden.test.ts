import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  evaluateRisk,
  type RiskInput,
} from '../../shared/domain/risk/index.js';

/**
 * Golden vectors of the original risk model (reference §9): every column must
 * come out identical, digit for digit. Cases live in `risk-cases.json`, so
 * more cases of the same kind are added by data alone.
 */

interface GoldenExpected {
  entropicLoad: number;
  contextualValue: number;
  complexityDelta: number;
  pathDependence: number;
  riskScore: number;
  damageScore: number;
  propagationScore: number;
  containmentScore: number;
  graph: { nodes: number; edges: number; components: number };
  bombs: string[];
  /** Policy verdict and reason, for the policy golden test, not checked here. */
  policy?: string;
  policyReason?: string;
}

interface GoldenCase {
  name: string;
  title: string;
  input: Partial<RiskInput>;
  expected: GoldenExpected;
}

interface GoldenFile {
  defaults: RiskInput;
  cases: GoldenCase[];
}

const golden = JSON.parse(
  readFileSync(new URL('./risk-cases.json', import.meta.url), 'utf8'),
) as GoldenFile;

describe('risk model golden vectors', () => {
  it('has cases to check', () => {
    // Assess
    expect(golden.cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(golden.cases.map((c) => [`${c.name}: ${c.title}`, c] as const))(
    'reproduces case %s',
    (_label, goldenCase) => {
      // Prepare
      const input: RiskInput = { ...golden.defaults, ...goldenCase.input };
      const { expected } = goldenCase;

      // Act
      const result = evaluateRisk(input);

      // Assess
      expect({
        entropicLoad: result.signals.entropicLoad,
        contextualValue: result.signals.contextualValue,
        complexityDelta: result.signals.complexityDelta,
        pathDependence: result.signals.pathDependence,
        riskScore: result.riskScore,
        damageScore: result.damageScore,
        propagationScore: result.propagationScore,
        containmentScore: result.containmentScore,
        graph: {
          nodes: result.graphMetrics.nodes,
          edges: result.graphMetrics.edges,
          components: result.graphMetrics.components,
        },
        bombs: result.bombs.map((bomb) => bomb.type),
      }).toStrictEqual({
        entropicLoad: expected.entropicLoad,
        contextualValue: expected.contextualValue,
        complexityDelta: expected.complexityDelta,
        pathDependence: expected.pathDependence,
        riskScore: expected.riskScore,
        damageScore: expected.damageScore,
        propagationScore: expected.propagationScore,
        containmentScore: expected.containmentScore,
        graph: expected.graph,
        bombs: expected.bombs,
      });
      expect(result.entropyScore).toBe(expected.entropicLoad);
    },
  );
});
