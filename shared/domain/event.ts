import type { JsonObject } from './intent.js';

/**
 * The event-type catalogue: the reference's S1 and S8 types, the HEAD types
 * this product emits, and our own additions (access, outbox, provenance).
 */
export const EVENT_TYPES = [
  'simulation.completed',
  'check.completed',
  'risk.evaluated',
  'risk.shadow_evaluated',
  'risk.policy_updated',
  'risk.level_reclassified',
  'policy.evaluated',
  'policy.calibration_applied',
  'intent.created',
  'intent.updated',
  'intent.status_changed',
  'intent.validated',
  'intent.blocked',
  'intent.rejected',
  'intent.requeued',
  'intent.merged',
  'intent.merge_failed',
  'intent.dependency_blocked',
  'queue.processed',
  'queue.reset',
  'queue.lock_released',
  'health.snapshot',
  'health.change_snapshot',
  'health.prediction',
  'compliance.thresholds_updated',
  'agent.policy_updated',
  'agent.authorized',
  'calibration.completed',
  'dataset.exported',
  'webhook.received',
  'github.check_run_created',
  'github.status_created',
  'github.decision_published',
  'github.decision_publish_failed',
  'github.installation_updated',
  'merge_group.checks_requested',
  'merge_group.destroyed',
  'worker.started',
  'worker.stopped',
  'worker.heartbeat',
  'access.granted',
  'access.denied',
  'access.key_created',
  'access.key_rotated',
  'access.key_revoked',
  'audit.chain.initialized',
  'audit.chain.verified',
  'audit.chain.tamper_detected',
  'provenance.recorded',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** True for a name in the catalogue. */
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * One entry of the append-only log. `id` is 12 hex chars in the reference;
 * `traceId` groups every event of one flow (`trace-{hex}`).
 */
export interface ConvergeEvent {
  id: string;
  traceId: string;
  timestamp: string;
  type: EventType;
  intentId: string | null;
  agentId: string | null;
  tenantId: string | null;
  payload: JsonObject;
  evidence: JsonObject;
}

/** What a caller supplies; the rest is filled by `buildEvent`. */
export type EventInput = Pick<ConvergeEvent, 'type'> &
  Partial<Omit<ConvergeEvent, 'type'>>;

/** Source of unique ids, injected so tests and replays are deterministic. */
export interface IdSource {
  /** `n` lowercase hex characters. */
  hex(n: number): string;
}

/** A new trace id in the reference format `trace-{hex}`. */
export function newTraceId(ids: IdSource): string {
  return `trace-${ids.hex(16)}`;
}

/** Completes an event input with id, trace and timestamp. */
export function buildEvent(
  input: EventInput,
  ids: IdSource,
  nowIso: string,
): ConvergeEvent {
  return {
    id: input.id ?? ids.hex(12),
    traceId: input.traceId ?? newTraceId(ids),
    timestamp: input.timestamp ?? nowIso,
    type: input.type,
    intentId: input.intentId ?? null,
    agentId: input.agentId ?? null,
    tenantId: input.tenantId ?? null,
    payload: input.payload ?? {},
    evidence: input.evidence ?? {},
  };
}
