import type { Bus, GithubEventMessage } from '../../ports/bus.js';
import { ConflictError, DomainError, TransientError } from '../errors.js';
import { buildEvent } from '../event.js';
import type { JsonObject } from '../intent.js';
import { type GithubDeps, webhookTraceId } from './github-types.js';

/** A verified webhook delivery, as the HTTP edge hands it over. */
export interface DeliveryInput {
  deliveryId: string;
  /** The `x-github-event` header. */
  name: string;
  action: string | null;
  /** `owner/name`, when the event is about a repository. */
  repo: string | null;
  tenantId: string | null;
  installationId: number | null;
  /**
   * The payload (parsed, or its JSON text as a `RawJson`), sent inline when
   * `claimCheck` is null.
   */
  payload: unknown;
  payloadBytes: number;
  /**
   * The payload stored for a claim check (too large for a bus message): kept
   * as the evidence of the `webhook.received` event, whose trace id
   * (`webhookTraceId`) is the message's `payloadKey`.
   */
  claimCheck: JsonObject | null;
}

/** What happened to a delivery. */
export interface DeliveryReceipt {
  duplicate: boolean;
}

/** The FIFO group of a delivery: its repository, else one shared group. */
export function deliveryGroupId(repo: string | null): string {
  return repo ?? 'github';
}

/** The deterministic id of a delivery's `webhook.received` event. */
export function webhookEventId(deliveryId: string): string {
  return `webhook-${deliveryId}`;
}

async function recordReceived(
  deps: GithubDeps,
  input: DeliveryInput,
): Promise<void> {
  const event = buildEvent(
    {
      id: webhookEventId(input.deliveryId),
      type: 'webhook.received',
      traceId: webhookTraceId(input.deliveryId),
      tenantId: input.tenantId,
      payload: {
        delivery_id: input.deliveryId,
        event: input.name,
        action: input.action,
        repo: input.repo,
        installation_id: input.installationId,
        payload_bytes: input.payloadBytes,
        claim_check: input.claimCheck !== null,
      },
      evidence: input.claimCheck ?? {},
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  try {
    await deps.store.events.append(event);
  } catch (error) {
    // A retry of a delivery whose enqueue failed: already recorded.
    if (!(error instanceof ConflictError)) throw error;
  }
}

function messageOf(input: DeliveryInput): GithubEventMessage {
  const base = {
    kind: 'github-event',
    deliveryId: input.deliveryId,
    name: input.name,
  } as const;
  return input.claimCheck === null
    ? { ...base, payload: input.payload }
    : { ...base, payloadKey: webhookTraceId(input.deliveryId) };
}

/**
 * Accepts one verified delivery: records `webhook.received` once, enqueues
 * the `github-event` message (dedup id = delivery id), and only then claims
 * the delivery id. Claiming last means a failure anywhere leaves nothing
 * claimed, so GitHub's retry is processed: nothing acknowledged is lost and
 * no unclaim can fail. A concurrent duplicate is dropped by the bus's dedup
 * window and finds the claim taken; the event id is derived from the
 * delivery id, so a retry never records a second `webhook.received`.
 * @throws TransientError when the store or the bus fails (answer 503);
 *   other DomainErrors (a message the bus refuses) as they are.
 */
export async function acceptDelivery(
  deps: GithubDeps & { bus: Bus },
  input: DeliveryInput,
): Promise<DeliveryReceipt> {
  const { deliveries } = deps.store;
  try {
    if (await deliveries.isClaimed(input.deliveryId)) {
      return { duplicate: true };
    }
    await recordReceived(deps, input);
    await deps.bus.send(messageOf(input), {
      groupId: deliveryGroupId(input.repo),
      dedupId: input.deliveryId,
    });
    await deliveries.claim(input.deliveryId);
    return { duplicate: false };
  } catch (error) {
    if (error instanceof ConflictError) return { duplicate: true };
    if (error instanceof DomainError) throw error;
    throw new TransientError('Delivery not accepted; retry later', 5, {
      cause: error,
    });
  }
}
