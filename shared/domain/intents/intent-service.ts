import type { Clock } from '../../ports/clock.js';
import type { IntentFilter, Page, Store } from '../../ports/store.js';
import { canAccessTenant } from '../auth/principal.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { buildEvent, type ConvergeEvent, type IdSource } from '../event.js';
import {
  type Intent,
  type IntentStatus,
  type NewIntentInput,
  newIntent,
} from '../intent.js';
import { assertTransition } from '../intent-state.js';

/** The slice of deps the intent use cases need. */
export interface IntentDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

/** Who is acting, as far as tenancy goes. `null` tenant: all tenants. */
export interface Actor {
  actor: string;
  tenantId: string | null;
  role: 'viewer' | 'operator' | 'admin';
}

/** @throws ForbiddenError when the intent belongs to another tenant. */
export function assertIntentAccess(actor: Actor, intent: Intent): void {
  if (!canAccessTenant(actor, intent.tenantId)) {
    throw new ForbiddenError(`Intent ${intent.id} belongs to another tenant`);
  }
}

/**
 * Creates a READY intent with its `intent.created` event. The caller's tenant
 * is enforced (DECISIONS 6): a tenant-bound actor creates in its own tenant.
 * @throws ConflictError when the id exists; ForbiddenError on another tenant.
 */
export async function createIntent(
  deps: IntentDeps,
  actor: Actor,
  input: Omit<NewIntentInput, 'id'> & { id?: string },
): Promise<Intent> {
  const tenantId = input.tenantId ?? actor.tenantId;
  if (!canAccessTenant(actor, tenantId)) {
    throw new ForbiddenError('Cannot create an intent in another tenant');
  }
  const now = deps.clock.nowIso();
  const intent = newIntent(
    {
      ...input,
      id: input.id ?? `api-${deps.ids.hex(12)}`,
      tenantId,
      createdBy: input.createdBy ?? actor.actor,
    },
    now,
  );
  const event = buildEvent(
    {
      type: 'intent.created',
      intentId: intent.id,
      tenantId,
      payload: {
        source: intent.source,
        target: intent.target,
        risk_level: intent.riskLevel,
        priority: intent.priority,
        created_by: intent.createdBy,
        origin_type: intent.originType,
      },
    },
    deps.ids,
    now,
  );
  return deps.store.intents.create(intent, event);
}

/** @throws NotFoundError when missing; ForbiddenError across tenants. */
export async function getIntent(
  deps: Pick<IntentDeps, 'store'>,
  actor: Actor,
  id: string,
): Promise<Intent> {
  const intent = await deps.store.intents.get(id);
  if (!intent) throw new NotFoundError(`Intent ${id} not found`);
  assertIntentAccess(actor, intent);
  return intent;
}

/** Lists intents, scoped to the actor's tenant unless it may see all. */
export async function listIntents(
  deps: Pick<IntentDeps, 'store'>,
  actor: Actor,
  filter: IntentFilter,
  page: { limit?: number; cursor?: string },
): Promise<Page<Intent>> {
  const tenantId = filter.tenantId ?? actor.tenantId ?? undefined;
  if (tenantId !== undefined && !canAccessTenant(actor, tenantId)) {
    throw new ForbiddenError('Cannot list intents of another tenant');
  }
  const scoped: IntentFilter =
    tenantId === undefined ? { ...filter } : { ...filter, tenantId };
  return deps.store.intents.list(scoped, page);
}

/** The events of one intent, newest first. */
export async function listIntentEvents(
  deps: Pick<IntentDeps, 'store'>,
  actor: Actor,
  id: string,
  page: { limit?: number; cursor?: string },
): Promise<Page<ConvergeEvent>> {
  await getIntent(deps, actor, id);
  return deps.store.events.query({ intentId: id }, page);
}

/**
 * Sets a status through the state machine, or any status with `force`
 * (admins only; audited with `forced: true`). Emits intent.status_changed.
 * @throws InvalidTransitionError, ForbiddenError, NotFoundError, ConflictError.
 */
export async function changeIntentStatus(
  deps: IntentDeps,
  actor: Actor,
  id: string,
  input: { status: IntentStatus; reason?: string; force?: boolean },
): Promise<Intent> {
  const intent = await getIntent(deps, actor, id);
  const force = input.force === true;
  if (force && actor.role !== 'admin') {
    throw new ForbiddenError('Only an admin may force a status');
  }
  assertTransition(intent.status, input.status, force);
  const event = buildEvent(
    {
      type: 'intent.status_changed',
      intentId: id,
      tenantId: intent.tenantId,
      payload: {
        from: intent.status,
        to: input.status,
        actor: actor.actor,
        reason: input.reason ?? null,
        forced: force,
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  return deps.store.intents.transition({
    id,
    to: input.status,
    expectedVersion: intent.version,
    event,
    force,
  });
}
