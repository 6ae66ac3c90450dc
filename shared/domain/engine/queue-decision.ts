import type { Intent } from '../intent.js';

/** What the queue did with one intent. */
export interface QueueDecision {
  intentId: string;
  decision:
    | 'queued'
    | 'merged'
    | 'blocked'
    | 'rejected'
    | 'requeued'
    | 'merge_failed'
    | 'dependency_blocked'
    | 'agent_denied'
    | 'waiting'
    | 'error';
  reason: string;
  traceId: string;
  retries: number;
  mergedSha?: string;
}

/** A decision about `intent` as it now stands. */
export function decide(
  intent: Intent,
  decision: QueueDecision['decision'],
  reason: string,
  traceId: string,
): QueueDecision {
  return {
    intentId: intent.id,
    decision,
    reason,
    traceId,
    retries: intent.retries,
  };
}
