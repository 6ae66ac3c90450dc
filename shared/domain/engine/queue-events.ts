import { buildEvent, type EventType } from '../event.js';
import type { Intent, IntentStatus, JsonObject } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';
import { decisionOutbox } from './validate-intent.js';

/**
 * Moves an intent with its event (and a decision outbox entry for GitHub
 * intents) in one atomic write.
 */
export async function moveIntent(
  deps: EngineDeps,
  intent: Intent,
  move: {
    to: IntentStatus;
    type: EventType;
    traceId: string;
    payload: JsonObject;
    retries?: number;
  },
): Promise<Intent> {
  const event = buildEvent(
    {
      type: move.type,
      traceId: move.traceId,
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload: move.payload,
      evidence: { trace_id: move.traceId },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  const outbox = decisionOutbox(deps, intent, move.payload, move.traceId);
  return deps.store.intents.transition({
    id: intent.id,
    to: move.to,
    expectedVersion: intent.version,
    event,
    ...(move.retries === undefined ? {} : { patch: { retries: move.retries } }),
    ...(outbox ? { outbox } : {}),
  });
}
