import type { Bomb, RiskEvaluation } from './risk-types.js';

/**
 * The original's snake_case `RiskEval.to_dict()` shape, which is what
 * `risk.evaluated` events store and what readers of those events (policy,
 * projections, exports) expect.
 */

/** A bomb in snake_case. */
export type BombPayload =
  | {
      type: 'cascade';
      severity: 'high';
      message: string;
      trigger_nodes: string[];
      blast_radius: number;
    }
  | {
      type: 'spiral';
      severity: 'medium';
      message: string;
      cycles: string[][];
    }
  | {
      type: 'thermal_death';
      severity: 'critical';
      message: string;
      indicators: number;
    };

/**
 * The `risk.evaluated` payload. A type alias (not an interface) so that it
 * is assignable to JSON-object types with an index signature.
 */
export type RiskEvaluatedPayload = {
  intent_id: string;
  risk_score: number;
  damage_score: number;
  entropy_score: number;
  propagation_score: number;
  containment_score: number;
  signals: {
    entropic_load: number;
    contextual_value: number;
    complexity_delta: number;
    path_dependence: number;
  };
  findings: { code: string; severity: string; message: string }[];
  impact_edges: {
    source: string;
    target: string;
    type: string;
    weight: number;
  }[];
  graph_metrics: {
    nodes: number;
    edges: number;
    pagerank_max: number;
    pagerank_top: { node: string; rank: number }[];
    critical_files: { file: string; pagerank: number }[];
    components: number;
    density: number;
  };
  bombs: BombPayload[];
  timestamp?: string;
  tenant_id?: string | null;
};

/** Optional envelope fields the pure evaluation does not know. */
export interface PayloadMeta {
  /** ISO-8601 time of the evaluation (the original stamps `now`). */
  readonly timestamp?: string;
  readonly tenantId?: string | null;
}

function bombToPayload(bomb: Bomb): BombPayload {
  switch (bomb.type) {
    case 'cascade':
      return {
        type: bomb.type,
        severity: bomb.severity,
        message: bomb.message,
        trigger_nodes: [...bomb.triggerNodes],
        blast_radius: bomb.blastRadius,
      };
    case 'spiral':
      return {
        type: bomb.type,
        severity: bomb.severity,
        message: bomb.message,
        cycles: bomb.cycles.map((cycle) => [...cycle]),
      };
    case 'thermal_death':
      return {
        type: bomb.type,
        severity: bomb.severity,
        message: bomb.message,
        indicators: bomb.indicators,
      };
  }
}

/**
 * Converts an evaluation to the original's snake_case payload. Diagnostics
 * are not part of it (the original derives them separately). `timestamp` and
 * `tenant_id` are included only when given in `meta`.
 */
export function toSnakeCasePayload(
  evaluation: RiskEvaluation,
  meta: PayloadMeta = {},
): RiskEvaluatedPayload {
  const { signals, graphMetrics: gm } = evaluation;
  const payload: RiskEvaluatedPayload = {
    intent_id: evaluation.intentId,
    risk_score: evaluation.riskScore,
    damage_score: evaluation.damageScore,
    entropy_score: evaluation.entropyScore,
    propagation_score: evaluation.propagationScore,
    containment_score: evaluation.containmentScore,
    signals: {
      entropic_load: signals.entropicLoad,
      contextual_value: signals.contextualValue,
      complexity_delta: signals.complexityDelta,
      path_dependence: signals.pathDependence,
    },
    findings: evaluation.findings.map((f) => ({ ...f })),
    impact_edges: evaluation.impactEdges.map((e) => ({ ...e })),
    graph_metrics: {
      nodes: gm.nodes,
      edges: gm.edges,
      pagerank_max: gm.pagerankMax,
      pagerank_top: gm.pagerankTop.map((p) => ({ ...p })),
      critical_files: gm.criticalFiles.map((c) => ({ ...c })),
      components: gm.components,
      density: gm.density,
    },
    bombs: evaluation.bombs.map(bombToPayload),
  };
  if (meta.timestamp !== undefined) payload.timestamp = meta.timestamp;
  if (meta.tenantId !== undefined) payload.tenant_id = meta.tenantId;
  return payload;
}
