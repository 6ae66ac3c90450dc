/**
 * The audit hash chain over the event log (reference §6, HEAD
 * `audit init-chain|verify-chain`), per tenant scope. The log stores no
 * per-event hash, so `initChain` seals every event not sealed yet into
 * checkpoint events that list (event id, chain hash) pairs; `verifyChain`
 * recomputes each sealed hash from the events as they are now and names
 * the first one that was modified or deleted. docs/audit-and-provenance.md
 * explains the design and its limits.
 */
import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import { ConflictError, NotFoundError } from '../errors.js';
import {
  buildEvent,
  type ConvergeEvent,
  type IdSource,
  newTraceId,
} from '../event.js';
import {
  type ChainEntry,
  type Checkpoint,
  chainHash,
  checkpointPayload,
  chunkEntries,
  GENESIS_HASH,
  readCheckpoint,
  walkChain,
} from './chain-checkpoint.js';
import { numberAt, stringAt } from './payload-read.js';
import {
  oldestFirst,
  readAllEvents,
  scopeFilter,
  scopeKey,
} from './scope-events.js';

/** What the chain use cases need. */
export interface AuditDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

/** The outcome of `initChain`. */
export interface ChainInitResult {
  scope: string;
  /** The chain head after sealing: anchor it outside the store. */
  head: string;
  /** Events sealed in total, this run included. */
  count: number;
  /** Events sealed by this run. */
  sealed: number;
  last_event_id: string | null;
  /** Ids of the checkpoint events this run appended. */
  checkpoint_ids: string[];
}

/** The outcome of `verifyChain`. */
export interface ChainVerification {
  ok: boolean;
  scope: string;
  /** Sealed events whose hash matched (up to the first bad one). */
  count: number;
  /** The last good head. */
  head: string;
  /** Events of the scope that no checkpoint seals yet. */
  unsealed: number;
  first_bad_event_id?: string;
  reason?: string;
}

const LOCK_TTL_MS = 60_000;

async function loadCheckpointEvents(
  store: Store,
  tenantId: string | null,
): Promise<ConvergeEvent[]> {
  const events = await readAllEvents(store, {
    ...scopeFilter(tenantId),
    type: 'audit.chain.initialized',
  });
  const scope = scopeKey(tenantId);
  const ofScope = events.filter((e) => stringAt(e.payload, 'scope') === scope);
  const seqOf = (e: ConvergeEvent) =>
    numberAt(e.payload, 'seq') ?? Number.POSITIVE_INFINITY;
  return oldestFirst(ofScope).sort((x, y) => seqOf(x) - seqOf(y));
}

/**
 * Seals every event of the scope (`tenantId`, or the whole log for null)
 * that no checkpoint seals yet, oldest first, continuing the chain from the
 * last checkpoint's head; appends one or more `audit.chain.initialized`
 * checkpoints `{scope, seq, prev_head, head, count, last_event_id, entries}`.
 * It trusts the stored head: run `verifyChain` first to check the past.
 * @throws ConflictError while another init of the scope runs.
 * @example
 * const { head } = await initChain(deps, 'acme');
 */
export async function initChain(
  deps: AuditDeps,
  tenantId: string | null,
): Promise<ChainInitResult> {
  const lockName = `audit-chain:${scopeKey(tenantId)}`;
  const holder = `chain-${deps.ids.hex(12)}`;
  const lock = await deps.store.locks.acquire(lockName, holder, LOCK_TTL_MS);
  if (!lock) throw new ConflictError('An audit chain init is already running');
  try {
    return await sealNewEvents(deps, tenantId);
  } finally {
    await deps.store.locks.release(lockName, holder);
  }
}

async function sealNewEvents(
  deps: AuditDeps,
  tenantId: string | null,
): Promise<ChainInitResult> {
  const [checkpointEvents, events] = await Promise.all([
    loadCheckpointEvents(deps.store, tenantId),
    readAllEvents(deps.store, scopeFilter(tenantId)),
  ]);
  const checkpoints = parseCheckpoints(checkpointEvents);
  const sealedIds = sealedEventIds(checkpoints);
  const last = checkpoints.at(-1);
  let head = last?.head ?? GENESIS_HASH;
  const entries: ChainEntry[] = [];
  for (const event of oldestFirst(events)) {
    if (sealedIds.has(event.id)) continue;
    head = chainHash(head, event);
    entries.push([event.id, head]);
  }
  const appended = await appendCheckpoints(deps, tenantId, entries, {
    seq: last?.seq ?? 0,
    head: last?.head ?? GENESIS_HASH,
    count: sealedIds.size,
  });
  return {
    scope: scopeKey(tenantId),
    head,
    count: sealedIds.size + entries.length,
    sealed: entries.length,
    last_event_id: entries.at(-1)?.[0] ?? last?.lastEventId ?? null,
    checkpoint_ids: appended,
  };
}

function parseCheckpoints(events: readonly ConvergeEvent[]): Checkpoint[] {
  return events.map(readCheckpoint).filter((c): c is Checkpoint => c !== null);
}

function sealedEventIds(checkpoints: readonly Checkpoint[]): Set<string> {
  return new Set(checkpoints.flatMap((c) => c.entries.map(([id]) => id)));
}

async function appendCheckpoints(
  deps: AuditDeps,
  tenantId: string | null,
  entries: readonly ChainEntry[],
  from: { seq: number; head: string; count: number },
): Promise<string[]> {
  const traceId = newTraceId(deps.ids);
  const ids: string[] = [];
  let { seq, head, count } = from;
  for (const run of chunkEntries(entries)) {
    const prevHead = head;
    seq += 1;
    count += run.length;
    head = run.at(-1)?.[1] ?? prevHead;
    const payload = checkpointPayload({
      scope: scopeKey(tenantId),
      seq,
      prevHead,
      head,
      count,
      lastEventId: run.at(-1)?.[0] ?? null,
      entries: run,
    });
    const event = buildEvent(
      { type: 'audit.chain.initialized', traceId, tenantId, payload },
      deps.ids,
      deps.clock.nowIso(),
    );
    await deps.store.events.append(event);
    ids.push(event.id);
  }
  return ids;
}

/**
 * Recomputes every sealed hash of the scope from the events as stored now
 * and checks each checkpoint's link and head. Appends
 * `audit.chain.verified` when all match, else `audit.chain.tamper_detected`
 * naming the first modified or deleted event (or the broken checkpoint).
 * @throws NotFoundError when the scope has no checkpoint yet.
 * @example
 * const { ok, first_bad_event_id } = await verifyChain(deps, 'acme');
 */
export async function verifyChain(
  deps: AuditDeps,
  tenantId: string | null,
): Promise<ChainVerification> {
  const scope = scopeKey(tenantId);
  const [checkpointEvents, events] = await Promise.all([
    loadCheckpointEvents(deps.store, tenantId),
    readAllEvents(deps.store, scopeFilter(tenantId)),
  ]);
  if (checkpointEvents.length === 0) {
    throw new NotFoundError(`No audit chain for ${scope}; run init first`);
  }
  const walk = walkChain(
    checkpointEvents,
    new Map(events.map((e) => [e.id, e])),
  );
  const sealed = sealedEventIds(parseCheckpoints(checkpointEvents));
  const result: ChainVerification = {
    ok: walk.bad === undefined,
    scope,
    count: walk.count,
    head: walk.head,
    unsealed: events.filter((e) => !sealed.has(e.id)).length,
    ...(walk.bad
      ? { first_bad_event_id: walk.bad.eventId, reason: walk.bad.reason }
      : {}),
  };
  const event = buildEvent(
    {
      type: result.ok ? 'audit.chain.verified' : 'audit.chain.tamper_detected',
      tenantId,
      payload: { ...result },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
  return result;
}
