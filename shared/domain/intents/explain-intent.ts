import type { Store } from '../../ports/store.js';
import type { ConvergeEvent, EventType } from '../event.js';
import type { Intent, IntentStatus } from '../intent.js';

/** Why an intent is where it is, in words a person or an agent can act on. */
export interface IntentExplanation {
  status: IntentStatus;
  reason: string;
  next: string;
  last_decision: EventType | null;
  trace_id: string | null;
  at: string | null;
}

const DECISIONS: readonly EventType[] = [
  'intent.created',
  'intent.validated',
  'intent.blocked',
  'intent.requeued',
  'intent.rejected',
  'intent.merged',
  'intent.merge_failed',
  'intent.dependency_blocked',
  'intent.status_changed',
  'queue.reset',
  'merge_group.destroyed',
];

const NEXT: Record<IntentStatus, string> = {
  READY:
    'The worker validates it: merge simulation, required checks, risk and policy.',
  VALIDATED:
    'The queue revalidates it against the current target, then queues and merges it.',
  QUEUED: 'It is next to merge once the tested tree still matches the target.',
  MERGED: 'Nothing: it is merged.',
  REJECTED:
    'Nothing automatic: fix the cause and reopen, or an admin resets it (POST /v1/queue/reset).',
};

function reasonOf(payload: Record<string, unknown>): string | null {
  const reason = payload.reason;
  if (typeof reason === 'string' && reason !== '') return reason;
  const decision = payload.decision;
  return typeof decision === 'string' ? decision : null;
}

/**
 * The intent's latest decision: its newest event of a `DECISIONS` type, one
 * indexed read of one row whatever else the intent has logged since.
 */
async function latestDecision(
  store: Pick<Store, 'events'>,
  intentId: string,
): Promise<ConvergeEvent | undefined> {
  return store.events.latest({ intentId, types: DECISIONS });
}

/**
 * The latest decision of an intent and what happens next, from its events
 * (read only: appends nothing).
 */
export async function explainIntent(
  store: Pick<Store, 'events'>,
  intent: Intent,
): Promise<IntentExplanation> {
  const last = await latestDecision(store, intent.id);
  const reason =
    (last && reasonOf(last.payload)) ??
    (intent.status === 'READY' ? 'Waiting for validation' : intent.status);
  return {
    status: intent.status,
    reason,
    next: NEXT[intent.status],
    last_decision: last?.type ?? null,
    trace_id: last?.traceId ?? null,
    at: last?.timestamp ?? null,
  };
}
