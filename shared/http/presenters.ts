import type { ConvergeEvent } from '../domain/event.js';
import type { Intent } from '../domain/intent.js';
import type { Page } from '../ports/store.js';

/** The API shape of an intent: the reference's snake_case fields. */
export function presentIntent(intent: Intent) {
  return {
    id: intent.id,
    source: intent.source,
    target: intent.target,
    status: intent.status,
    created_at: intent.createdAt,
    updated_at: intent.updatedAt,
    created_by: intent.createdBy,
    risk_level: intent.riskLevel,
    priority: intent.priority,
    semantic: intent.semantic,
    technical: intent.technical,
    checks_required: intent.checksRequired,
    dependencies: intent.dependencies,
    retries: intent.retries,
    tenant_id: intent.tenantId,
    plan_id: intent.planId,
    origin_type: intent.originType,
    version: intent.version,
  };
}

/** The API shape of an event (reference column names). */
export function presentEvent(event: ConvergeEvent) {
  return {
    id: event.id,
    trace_id: event.traceId,
    timestamp: event.timestamp,
    event_type: event.type,
    intent_id: event.intentId,
    agent_id: event.agentId,
    tenant_id: event.tenantId,
    payload: event.payload,
    evidence: event.evidence,
  };
}

/** A page in the API: `{ items, next_cursor }`. */
export function presentPage<T, R>(page: Page<T>, present: (item: T) => R) {
  return { items: page.items.map(present), next_cursor: page.cursor ?? null };
}
