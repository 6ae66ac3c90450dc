import { NotFoundError } from '../errors.js';
import type { ConvergeEvent } from '../event.js';
import type { Intent, JsonObject } from '../intent.js';
import type { Diagnostic } from '../risk/index.js';
import { type TenantCompliance, tenantCompliance } from './compliance.js';
import {
  latestEvent,
  type ReadDeps,
  recentEvents,
  tenantScope,
} from './event-reader.js';
import { type Lesson, reviewLessons } from './learning.js';
import { objectList } from './payload-fields.js';
import { diagnosticsOf, riskScores } from './risk-payload.js';

/** Everything a reviewer needs about one intent (reference §3 `risk review`). */
export interface RiskReview {
  intent: Intent;
  /** Latest payloads of the intent; null when never recorded. */
  risk: JsonObject | null;
  simulation: JsonObject | null;
  policy: JsonObject | null;
  diagnostics: Diagnostic[];
  compliance: TenantCompliance;
  /** The intent's last 50 events, newest first. */
  history: ConvergeEvent[];
  learning: Lesson[];
}

/** Diagnostics of one risk evaluation. */
export interface DiagnosticsEntry {
  intent_id: string | null;
  trace_id: string;
  timestamp: string;
  risk_score: number;
  diagnostics: Diagnostic[];
}

/**
 * The review of one intent: its latest risk, simulation and policy
 * payloads, full diagnostics (signals and bombs included, unlike the
 * original), its tenant's compliance, its history and lessons. Appends
 * nothing.
 * @throws NotFoundError when the intent does not exist in the tenant.
 */
export async function riskReview(
  deps: ReadDeps,
  intentId: string,
  tenantId: string | null,
): Promise<RiskReview> {
  const { store } = deps;
  const intent = await store.intents.get(intentId);
  if (!intent || (tenantId !== null && intent.tenantId !== tenantId)) {
    throw new NotFoundError(`Intent ${intentId} not found`);
  }
  const filter = { intentId, ...tenantScope(tenantId) };
  const [risk, sim, policy, history, compliance] = await Promise.all([
    latestEvent(store, { ...filter, type: 'risk.evaluated' }),
    latestEvent(store, { ...filter, type: 'simulation.completed' }),
    latestEvent(store, { ...filter, type: 'policy.evaluated' }),
    recentEvents(store, filter, 50),
    tenantCompliance(deps, intent.tenantId),
  ]);
  const diagnostics =
    risk === null ? [] : diagnosticsOf(risk.payload, sim?.payload ?? null);
  return {
    intent,
    risk: risk?.payload ?? null,
    simulation: sim?.payload ?? null,
    policy: policy?.payload ?? null,
    diagnostics,
    compliance,
    history,
    learning: reviewLessons({
      criticalDiagnostics: diagnostics.filter((d) => d.severity === 'critical')
        .length,
      riskScore: riskScores(risk?.payload ?? {}).riskScore,
    }),
  };
}

/**
 * Diagnostics of the newest `limit` risk evaluations (of one intent when
 * given), each with the conflicts of the simulation of its trace.
 */
export async function recentDiagnostics(
  deps: ReadDeps,
  tenantId: string | null,
  options: { intentId?: string; limit?: number } = {},
): Promise<DiagnosticsEntry[]> {
  const { store } = deps;
  const filter = {
    type: 'risk.evaluated' as const,
    ...tenantScope(tenantId),
    ...(options.intentId === undefined ? {} : { intentId: options.intentId }),
  };
  const risks = await recentEvents(store, filter, options.limit ?? 20);
  return Promise.all(
    risks.map(async (e) => {
      const sim = await latestEvent(store, {
        traceId: e.traceId,
        type: 'simulation.completed',
      });
      return {
        intent_id: e.intentId,
        trace_id: e.traceId,
        timestamp: e.timestamp,
        risk_score: riskScores(e.payload).riskScore,
        diagnostics: diagnosticsOf(e.payload, sim?.payload ?? null),
      };
    }),
  );
}

/**
 * The impact edges of the intent's latest risk evaluation.
 * @throws NotFoundError when the intent has no risk evaluation.
 */
export async function impactEdges(
  deps: ReadDeps,
  intentId: string,
  tenantId: string | null,
): Promise<{
  intent_id: string;
  evaluated_at: string;
  impact_edges: JsonObject[];
}> {
  const risk = await latestEvent(deps.store, {
    type: 'risk.evaluated',
    intentId,
    ...tenantScope(tenantId),
  });
  if (risk === null) {
    throw new NotFoundError(`No risk evaluation for intent ${intentId}`);
  }
  return {
    intent_id: intentId,
    evaluated_at: risk.timestamp,
    impact_edges: objectList(risk.payload, 'impact_edges'),
  };
}
