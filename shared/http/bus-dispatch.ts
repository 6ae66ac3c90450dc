import { processQueue } from '../domain/engine/process-queue.js';
import { validateIntent } from '../domain/engine/validate-intent.js';
import { InvalidTransitionError, TransientError } from '../domain/errors.js';
import { publishIfWired } from '../domain/outbox/publish-outbox.js';
import type {
  BusMessage,
  GithubEventMessage,
  ProcessBranchMessage,
  PublishOutboxMessage,
  ValidateIntentMessage,
} from '../ports/bus.js';
import type { Deps } from '../runtime/deps.js';
import { loadStoredPayload } from './github-claim-check.js';
import { type GithubDelivery, handleGithubEvent } from './github-dispatch.js';
import { logger } from './powertools.js';

/**
 * One `publishPending` run over the due entries, the message's included
 * (DECISIONS 13). The entry is durable in the store, so without a publisher
 * (the local stack) the message is only logged and nothing is lost; a run
 * held by another publisher publishes them itself, so busy is no error.
 */
async function publishOutbox(
  deps: Deps,
  message: PublishOutboxMessage,
): Promise<void> {
  const summary = await publishIfWired(deps);
  if (!summary) {
    logger.warn('no outbox publisher wired; entry left pending', {
      outboxId: message.outboxId,
    });
    return;
  }
  logger.info('outbox published', {
    outboxId: message.outboxId,
    published: summary.published.length,
    retrying: summary.retrying.length,
    busy: summary.busy,
  });
}

async function processBranch(
  deps: Deps,
  message: ProcessBranchMessage,
): Promise<void> {
  const result = await processQueue(deps, {
    tenantId: message.tenantId,
    repo: message.repo,
    target: message.target,
    holder: `bus-${deps.ids.hex(12)}`,
    autoConfirm: deps.env.CONVERGE_AUTO_MERGE,
    skipChecks: deps.env.CONVERGE_SKIP_CHECKS,
    lockTtlMs: deps.env.CONVERGE_QUEUE_LOCK_TTL * 1000,
  });
  if (result.lock !== undefined) {
    // Someone else works this branch now; try again after it is done.
    throw new TransientError(result.error, 5);
  }
}

async function validate(
  deps: Deps,
  message: ValidateIntentMessage,
): Promise<void> {
  try {
    await validateIntent(deps, message.intentId, {
      skipChecks: deps.env.CONVERGE_SKIP_CHECKS,
      ...(message.traceId === undefined ? {} : { traceId: message.traceId }),
    });
  } catch (error) {
    // Merged or rejected since the request (a PR closed right after it was
    // opened): nothing to validate, and not a poison message either.
    if (!(error instanceof InvalidTransitionError)) throw error;
    logger.info('validation skipped: intent settled', {
      intentId: message.intentId,
      status: error.from,
    });
  }
}

async function githubDelivery(
  deps: Deps,
  message: GithubEventMessage,
): Promise<GithubDelivery> {
  const payload =
    message.payloadKey === undefined
      ? message.payload
      : await loadStoredPayload(deps.store, message.payloadKey);
  return { deliveryId: message.deliveryId, name: message.name, payload };
}

/**
 * Runs one bus message: validate-intent -> `validateIntent`;
 * process-branch -> `processQueue` under the branch's lock; publish-outbox
 * -> the outbox hook; github-event -> the GitHub use cases (payload inline
 * or behind its claim check). Used by the Lambda queue processor and by the
 * local stack's in-process worker.
 * @throws ValidationError / NotFoundError / InvalidTransitionError
 *   (permanent: retrying cannot help); TransientError, ConflictError and
 *   anything else (retry).
 * @example
 * await dispatchBusMessage(deps, parseBusMessage(record.body));
 */
export async function dispatchBusMessage(
  deps: Deps,
  message: BusMessage,
): Promise<void> {
  switch (message.kind) {
    case 'validate-intent':
      return validate(deps, message);
    case 'process-branch':
      return processBranch(deps, message);
    case 'publish-outbox':
      return publishOutbox(deps, message);
    case 'github-event':
      await handleGithubEvent(deps, await githubDelivery(deps, message));
      return;
  }
}
