/**
 * Shared steps of the GitHub use cases: events under the delivery's trace,
 * status moves, the intents of one repository, and the follow-up messages a
 * use case asks its caller to send.
 */
import type {
  ProcessBranchMessage,
  ValidateIntentMessage,
} from '../../ports/bus.js';
import { allIntents } from '../engine/queue-admin.js';
import { buildEvent, type ConvergeEvent, type EventType } from '../event.js';
import type {
  Intent,
  IntentPatch,
  IntentStatus,
  JsonObject,
} from '../intent.js';
import type {
  DeliveryContext,
  GithubDeps,
  GithubOutcome,
} from './github-types.js';

/** One queue branch: the FIFO group of its messages and its lock. */
export interface Branch {
  tenantId: string | null;
  repo: string;
  target: string;
}

/** A message the use case wants sent, with the branch it belongs to. */
export interface FollowUp {
  message: ValidateIntentMessage | ProcessBranchMessage;
  branch: Branch;
}

/** A use case's outcome and the messages its caller must send. */
export interface GithubResult {
  outcome: GithubOutcome;
  followUps: FollowUp[];
}

/** An event of the delivery's trace. */
export function deliveryEvent(
  deps: GithubDeps,
  ctx: DeliveryContext,
  input: {
    type: EventType;
    intentId: string | null;
    tenantId: string | null;
    payload: JsonObject;
  },
): ConvergeEvent {
  return buildEvent(
    {
      ...input,
      traceId: ctx.traceId,
      evidence: { delivery_id: ctx.deliveryId, webhook_event: ctx.event },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
}

/**
 * Moves `intent` with its event, in one atomic write.
 * @throws InvalidTransitionError; ConflictError on a concurrent write.
 */
export function moveIntent(
  deps: GithubDeps,
  ctx: DeliveryContext,
  intent: Intent,
  move: {
    to: IntentStatus;
    type: EventType;
    payload: JsonObject;
    patch?: IntentPatch;
    force?: boolean;
  },
): Promise<Intent> {
  const event = deliveryEvent(deps, ctx, {
    type: move.type,
    intentId: intent.id,
    tenantId: intent.tenantId,
    payload: { from: intent.status, to: move.to, ...move.payload },
  });
  return deps.store.intents.transition({
    id: intent.id,
    to: move.to,
    expectedVersion: intent.version,
    event,
    ...(move.patch ? { patch: move.patch } : {}),
    ...(move.force ? { force: true } : {}),
  });
}

/** The queue branch of an intent (its repo, else `fallbackRepo`). */
export function branchOf(intent: Intent, fallbackRepo: string): Branch {
  const repo = intent.technical.repo;
  return {
    tenantId: intent.tenantId,
    repo: typeof repo === 'string' ? repo : fallbackRepo,
    target: intent.target,
  };
}

/** Asks the engine to validate `intent` (DECISIONS 3). */
export function validationOf(
  intent: Intent,
  ctx: DeliveryContext,
  repo: string,
): FollowUp {
  return {
    message: {
      kind: 'validate-intent',
      intentId: intent.id,
      traceId: ctx.traceId,
    },
    branch: branchOf(intent, repo),
  };
}

/** Asks the queue to work `branches`, each once. */
export function processBranches(branches: readonly Branch[]): FollowUp[] {
  const seen = new Map<string, Branch>();
  for (const b of branches) seen.set(JSON.stringify(b), b);
  return [...seen.values()].map((branch) => ({
    message: { kind: 'process-branch', ...branch },
    branch,
  }));
}

/**
 * The intents of `repo` in `tenantId` with one of `statuses`. Intents that
 * name no repository (created through the API) count as the tenant's, as a
 * push in the reference requeues them too; another repository's intents
 * never match, so two repositories cannot collide.
 */
export async function intentsOfRepo(
  deps: GithubDeps,
  tenantId: string,
  repo: string,
  statuses: readonly IntentStatus[],
): Promise<Intent[]> {
  const found: Intent[] = [];
  for (const status of statuses) {
    const intents = await allIntents(deps.store, tenantId, status);
    found.push(
      ...intents.filter((i) => {
        const own = i.technical.repo;
        return own === undefined || own === null || own === repo;
      }),
    );
  }
  return found;
}

/** A result with no follow-ups. */
export function only(outcome: GithubOutcome): GithubResult {
  return { outcome, followUps: [] };
}
