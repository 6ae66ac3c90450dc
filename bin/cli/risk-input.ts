import { z } from 'zod';
import {
  DEFAULT_POLICY_CONFIG,
  evaluatePolicy,
  evaluateRiskGate,
} from '../../shared/domain/policy/index.js';
import { evaluateRisk } from '../../shared/domain/risk/index.js';

const Strings = z.array(z.string()).default([]);

/**
 * `converge risk eval --input FILE`: a change described as JSON, evaluated
 * with no store and no git. Missing fields take the reference defaults
 * (id test-001, target main, medium, mergeable, nothing else).
 */
export const RiskEvalInput = z.looseObject({
  intent: z
    .looseObject({
      id: z.string().default('test-001'),
      source: z.string().default('feature'),
      target: z.string().default('main'),
      riskLevel: z
        .enum(['low', 'medium', 'high', 'critical'])
        .default('medium'),
      dependencies: Strings,
      scopeHint: Strings,
    })
    .default({
      id: 'test-001',
      source: 'feature',
      target: 'main',
      riskLevel: 'medium',
      dependencies: [],
      scopeHint: [],
    }),
  simulation: z
    .looseObject({
      mergeable: z.boolean().default(true),
      conflicts: Strings,
      filesChanged: Strings,
    })
    .default({ mergeable: true, conflicts: [], filesChanged: [] }),
  coupling: z
    .array(
      z.looseObject({
        a: z.string(),
        b: z.string(),
        coChanges: z.number().optional(),
        count: z.number().optional(),
      }),
    )
    .default([]),
});
export type RiskEvalInput = z.infer<typeof RiskEvalInput>;

/** The evaluation in the documented output shape. */
export function evaluateRiskInput(input: RiskEvalInput) {
  const { intent, simulation } = input;
  const risk = evaluateRisk({
    intentId: intent.id,
    source: intent.source,
    target: intent.target,
    riskLevel: intent.riskLevel,
    dependencies: intent.dependencies,
    scopeHints: intent.scopeHint,
    filesChanged: simulation.filesChanged,
    conflicts: simulation.conflicts,
    mergeable: simulation.mergeable,
    coChange: input.coupling.map((c) => ({
      a: c.a,
      b: c.b,
      count: c.coChanges ?? c.count ?? 0,
    })),
  });
  const policy = evaluatePolicy({
    config: DEFAULT_POLICY_CONFIG,
    riskLevel: intent.riskLevel,
    checksPassed: [],
    skipChecks: true,
    entropyScore: risk.entropyScore,
    containmentScore: risk.containmentScore,
    propagationScore: risk.propagationScore,
  });
  const riskGate = evaluateRiskGate({
    intentId: intent.id,
    riskScore: risk.riskScore,
    damageScore: risk.damageScore,
    propagationScore: risk.propagationScore,
    policy: { ...DEFAULT_POLICY_CONFIG.risk, mode: 'enforce' },
  });
  const g = risk.graphMetrics;
  return {
    intentId: intent.id,
    signals: risk.signals,
    riskScore: risk.riskScore,
    damageScore: risk.damageScore,
    entropyScore: risk.entropyScore,
    propagationScore: risk.propagationScore,
    containmentScore: risk.containmentScore,
    bombs: risk.bombs,
    findings: risk.findings,
    diagnostics: risk.diagnostics,
    impactEdges: risk.impactEdges,
    graph: {
      nodes: g.nodes,
      edges: g.edges,
      components: g.components,
      density: g.density,
      pagerankMax: g.pagerankMax,
      criticalFiles: g.criticalFiles,
    },
    policy: { verdict: policy.verdict, gates: policy.gates },
    riskGate,
  };
}
