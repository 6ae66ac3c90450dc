import { MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  ConflictError,
  InvalidTransitionError,
  NotFoundError,
  TransientError,
  ValidationError,
} from '../domain/errors.js';
import { publishIfWired } from '../domain/outbox/publish-outbox.js';
import type { Deps } from '../runtime/deps.js';
import { dispatchBusMessage } from './bus-dispatch.js';
import { type Observability, observability } from './lambda-stack.js';
import { parseBusMessage } from './schemas/bus-message.js';

/** One delivered bus message: SQS record or memory-bus message. */
export interface BusRecord {
  /** Stable across redeliveries (SQS and the memory bus). */
  messageId: string;
  body: string;
}

/** What happened to a record; every outcome acknowledges it. */
export type RecordOutcome = 'processed' | 'duplicate' | 'poison';

/** How long a processed job id is remembered (the SQS maximum retention). */
export const JOB_DONE_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** The in-progress lease: longer than any Lambda run (15 min). */
export const JOB_LEASE_TTL_MS = 15 * 60 * 1000;

/** Errors that no retry can fix: the message is acknowledged. */
export function isPermanent(error: unknown): boolean {
  return (
    error instanceof ValidationError ||
    error instanceof NotFoundError ||
    error instanceof InvalidTransitionError
  );
}

function reportPoison(
  obs: Observability,
  record: BusRecord,
  error: unknown,
): RecordOutcome {
  obs.logger.error('poison message acknowledged', {
    messageId: record.messageId,
    error,
  });
  obs.metrics.addMetric('PoisonMessage', MetricUnit.Count, 1);
  return 'poison';
}

async function markDone(deps: Deps, key: string): Promise<void> {
  try {
    await deps.store.deliveries.claim(key, JOB_DONE_TTL_MS);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

/** Decisions published right after the run that made them, at most this many. */
export const PUBLISH_AFTER_LIMIT = 25;

/**
 * Publishes the due outbox entries right after a message that may have made
 * decisions (DECISIONS 13), so a pull request shows Converge's check run
 * within seconds rather than at the next scheduler tick. The entries are
 * already durable: a failure here is logged and left to the tick's retries,
 * never a failure of the message.
 */
async function publishAfter(
  deps: Deps,
  kind: string,
  obs: Observability,
): Promise<void> {
  if (kind === 'publish-outbox') return;
  try {
    await publishIfWired(deps, { limit: PUBLISH_AFTER_LIMIT });
  } catch (error) {
    obs.logger.warn('outbox not published after the message', { error });
  }
}

async function takeLease(deps: Deps, key: string): Promise<void> {
  try {
    await deps.store.deliveries.claim(key, JOB_LEASE_TTL_MS);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    throw new TransientError('Job is being processed elsewhere', 30);
  }
}

/**
 * Handles one bus record, at most once per message id:
 * 1. parses the body (`parseBusMessage`); an invalid body is poison;
 * 2. skips a message whose job id `job:<messageId>` is already done;
 * 3. takes a lease `job:<messageId>:lease` (a concurrent copy retries later;
 *    a crashed run's lease expires, so the message is never stranded);
 * 4. dispatches it; on success or a permanent error (ValidationError,
 *    NotFoundError, InvalidTransitionError: logged with the messageId, a
 *    `PoisonMessage` metric, acknowledged) marks the job done;
 * 5. releases the lease, before a transient error propagates (retry).
 * @throws anything transient from the dispatch or the store.
 */
export async function handleBusRecord(
  deps: Deps,
  record: BusRecord,
  obs: Observability = observability(),
): Promise<RecordOutcome> {
  let message: ReturnType<typeof parseBusMessage>;
  try {
    message = parseBusMessage(record.body);
  } catch (error) {
    return reportPoison(obs, record, error);
  }
  const doneKey = `job:${record.messageId}`;
  if (await deps.store.deliveries.isClaimed(doneKey)) return 'duplicate';
  const leaseKey = `${doneKey}:lease`;
  await takeLease(deps, leaseKey);
  try {
    let outcome: RecordOutcome = 'processed';
    try {
      await dispatchBusMessage(deps, message);
    } catch (error) {
      if (!isPermanent(error)) throw error;
      outcome = reportPoison(obs, record, error);
    }
    await markDone(deps, doneKey);
    await publishAfter(deps, message.kind, obs);
    return outcome;
  } finally {
    await deps.store.deliveries.unclaim(leaseKey).catch((error: unknown) => {
      obs.logger.warn('job lease not released', {
        messageId: record.messageId,
        error,
      });
    });
  }
}
