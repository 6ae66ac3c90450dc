import type { GithubResult } from '../domain/github/github-intents.js';
import {
  type DeliveryContext,
  type GithubOutcome,
  ignored,
  webhookTraceId,
} from '../domain/github/github-types.js';
import { branchGroupId } from '../ports/bus.js';
import type { Deps } from '../runtime/deps.js';
import { githubHandlerFor } from './github-handlers.js';
import { logger } from './powertools.js';
import { requireBus } from './require-bus.js';
import { GithubEnvelope } from './schemas/github-events.js';

/** A verified delivery as the bus carries it, payload resolved. */
export interface GithubDelivery {
  deliveryId: string;
  name: string;
  payload: unknown;
}

async function sendFollowUps(
  deps: Deps,
  ctx: DeliveryContext,
  result: GithubResult,
): Promise<void> {
  if (result.followUps.length === 0) return;
  // Dedup ids derive from the delivery: a retried delivery sends nothing twice.
  await requireBus(deps).sendBatch(
    result.followUps.map((f, i) => ({
      message: f.message,
      groupId: branchGroupId(f.branch),
      dedupId: `${ctx.deliveryId}:${i}`,
    })),
  );
}

/**
 * Routes one GitHub delivery to its use case by `name.action` (the typed
 * dispatch map of github-handlers.ts), then sends the follow-up messages the
 * use case asks for. Unhandled events and incomplete
 * payloads are ignored.
 * @throws errors of the use cases (ConflictError: retry) and of the bus.
 */
export async function handleGithubEvent(
  deps: Deps,
  delivery: GithubDelivery,
): Promise<GithubOutcome> {
  const envelope = GithubEnvelope.safeParse(delivery.payload);
  const action = envelope.success ? envelope.data.action : undefined;
  const event = action ? `${delivery.name}.${action}` : delivery.name;
  const handler = githubHandlerFor(event, delivery.name);
  if (!handler) return ignored('event not handled');
  const ctx: DeliveryContext = {
    deliveryId: delivery.deliveryId,
    traceId: webhookTraceId(delivery.deliveryId),
    event,
  };
  const result = await handler(deps, delivery.payload, ctx);
  await sendFollowUps(deps, ctx, result);
  logger.info('github event handled', {
    deliveryId: ctx.deliveryId,
    event,
    result: result.outcome.result,
    intentIds: result.outcome.intentIds,
  });
  return result.outcome;
}
