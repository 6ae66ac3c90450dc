/**
 * Publishes the decision outbox (DECISIONS 13): a decision is durable first
 * (written with its transition), published after, retried with backoff while
 * GitHub is down, and never lost.
 */
import type { Clock } from '../../ports/clock.js';
import type { Publisher, PublishResult } from '../../ports/publisher.js';
import type { OutboxEntry, Store } from '../../ports/store.js';
import { DomainError, TransientError } from '../errors.js';
import { buildEvent, type EventType, type IdSource } from '../event.js';
import type { JsonObject } from '../intent.js';
import { decisionToPublish } from './decision-input.js';

/** The outbox kind the engine writes for GitHub decisions. */
export const DECISION_OUTBOX_KIND = 'github.decision';

/** The lock that keeps two publishers from sending the same entry. */
export const OUTBOX_LOCK = 'outbox:github.decision';

/** What publishing needs; all I/O goes through ports. */
export interface PublishOutboxDeps {
  store: Pick<Store, 'outbox' | 'intents' | 'events' | 'locks'>;
  publisher: Publisher;
  clock: Clock;
  ids: IdSource;
}

/** Tuning of one run. */
export interface PublishOutboxOptions {
  /** Entries read per run; default 25. */
  limit?: number;
  /** Permanent failures are dead-lettered at this attempt; default 10. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt; default 5 000 ms. */
  baseDelayMs?: number;
  /** Longest retry delay; default 15 minutes. */
  maxDelayMs?: number;
  /** Lease of the run's lock; longer than a run takes; default 5 minutes. */
  lockTtlMs?: number;
}

/** Entry ids by what happened to them. */
export interface PublishRunSummary {
  published: string[];
  /** Failed; due again at a later `nextAttemptAt`. */
  retrying: string[];
  /** Failed permanently `maxAttempts` times: done, with `lastError`. */
  deadLettered: string[];
  /** Held back behind an earlier failed decision of the same intent. */
  deferred: string[];
  /** Other outbox kinds, left for their own publishers. */
  skipped: string[];
  /** True when another run held the lock; nothing was read. */
  busy: boolean;
}

type Settings = Required<Omit<PublishOutboxOptions, 'lockTtlMs'>>;

/**
 * The retry delay after the `attempt`-th failure: `min(base * 2^(attempt-1),
 * max)`, of which the upper half is jittered by `jitter` in [0, 1].
 *
 * @example
 * ```ts
 * outboxBackoffMs(3, 0.5, 5_000, 900_000); // 15_000
 * ```
 */
export function outboxBackoffMs(
  attempt: number,
  jitter: number,
  baseMs: number,
  maxMs: number,
): number {
  const capped = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
  return Math.round(capped / 2 + (capped / 2) * jitter);
}

/**
 * {@link publishPending} when a publisher is wired; null without one (the
 * local stack has none: entries stay durable in the store). The one entry
 * point for every caller that holds optional deps (queue processor, tick).
 * @example
 * const summary = await publishIfWired(deps, { limit: 25 });
 */
export function publishIfWired(
  deps: Omit<PublishOutboxDeps, 'publisher'> & {
    publisher?: Publisher | undefined;
  },
  options: PublishOutboxOptions = {},
): Promise<PublishRunSummary | null> {
  const { store, publisher, clock, ids } = deps;
  if (!publisher) return Promise.resolve(null);
  return publishPending({ store, publisher, clock, ids }, options);
}

/**
 * Publishes the due `github.decision` entries, oldest first, under a lock.
 * A success marks the entry done and appends `github.decision_published`.
 * A `TransientError` (GitHub down, 5xx, rate limited, circuit open) records
 * the attempt with exponential backoff (at least the error's `Retry-After`)
 * and appends `github.decision_publish_failed`; it is retried forever. Any
 * other error counts towards `maxAttempts`, after which the entry is marked
 * done with its `lastError` (dead letter) and the event says so. Later
 * decisions of an intent whose earlier decision failed wait behind it, so
 * GitHub never shows an older decision over a newer one.
 *
 * @example
 * ```ts
 * const summary = await publishPending(
 *   { store, publisher, clock, ids },
 *   { limit: 25, maxAttempts: 10 },
 * );
 * ```
 */
export async function publishPending(
  deps: PublishOutboxDeps,
  options: PublishOutboxOptions = {},
): Promise<PublishRunSummary> {
  const summary: PublishRunSummary = {
    published: [],
    retrying: [],
    deadLettered: [],
    deferred: [],
    skipped: [],
    busy: false,
  };
  const holder = `publisher-${deps.ids.hex(12)}`;
  const ttl = options.lockTtlMs ?? 300_000;
  const lock = await deps.store.locks.acquire(OUTBOX_LOCK, holder, ttl);
  if (lock === null) return { ...summary, busy: true };
  const settings: Settings = {
    limit: options.limit ?? 25,
    maxAttempts: options.maxAttempts ?? 10,
    baseDelayMs: options.baseDelayMs ?? 5_000,
    maxDelayMs: options.maxDelayMs ?? 900_000,
  };
  try {
    const entries = await deps.store.outbox.pending(settings.limit);
    /** intent id -> when its failed decision is due again. */
    const waiting = new Map<string, string>();
    for (const entry of entries) {
      await publishEntry(deps, settings, entry, summary, waiting);
    }
    return summary;
  } finally {
    await deps.store.locks.release(OUTBOX_LOCK, holder);
  }
}

async function publishEntry(
  deps: PublishOutboxDeps,
  settings: Settings,
  entry: OutboxEntry,
  summary: PublishRunSummary,
  waiting: Map<string, string>,
): Promise<void> {
  if (entry.kind !== DECISION_OUTBOX_KIND) {
    summary.skipped.push(entry.id);
    return;
  }
  const intentId = stringOf(entry.payload.intent_id);
  const dueAt = intentId === null ? undefined : waiting.get(intentId);
  if (dueAt !== undefined) {
    const note = `deferred behind an earlier decision of ${intentId}`;
    await deps.store.outbox.recordAttempt(entry.id, note, dueAt);
    summary.deferred.push(entry.id);
    return;
  }
  let result: PublishResult;
  try {
    const decision = await decisionToPublish(
      deps.store.intents,
      entry.payload,
      entry.id,
    );
    result = await deps.publisher.publishDecision(decision);
  } catch (error) {
    const next = await recordFailure(deps, settings, entry, error, summary);
    if (next !== null && intentId !== null) waiting.set(intentId, next);
    return;
  }
  // Done first: a crash before the event loses an event, never re-publishes.
  await deps.store.outbox.markDone(entry.id);
  await appendEvent(deps, entry, 'github.decision_published', {
    check_run_id: result.checkRunId ?? null,
    status_context: result.statusContext,
    attempts: entry.attempts + 1,
  });
  summary.published.push(entry.id);
}

/** Records the failure; the next due time, or null when dead-lettered. */
async function recordFailure(
  deps: PublishOutboxDeps,
  settings: Settings,
  entry: OutboxEntry,
  error: unknown,
  summary: PublishRunSummary,
): Promise<string | null> {
  const attempts = entry.attempts + 1;
  const transient = error instanceof TransientError;
  const message = describe(error);
  const failure = { error: message, transient, attempts };
  if (!transient && attempts >= settings.maxAttempts) {
    await deps.store.outbox.recordAttempt(
      entry.id,
      message,
      deps.clock.nowIso(),
    );
    await deps.store.outbox.markDone(entry.id);
    await appendEvent(deps, entry, 'github.decision_publish_failed', {
      ...failure,
      dead_lettered: true,
      next_attempt_at: null,
    });
    summary.deadLettered.push(entry.id);
    return null;
  }
  const jitter = Number.parseInt(deps.ids.hex(8), 16) / 0xffffffff;
  const backoff = outboxBackoffMs(
    attempts,
    jitter,
    settings.baseDelayMs,
    settings.maxDelayMs,
  );
  const retryAfterMs = transient ? error.retryAfterSeconds * 1000 : 0;
  const next = new Date(deps.clock.now() + Math.max(backoff, retryAfterMs));
  const nextAttemptAt = next.toISOString();
  await deps.store.outbox.recordAttempt(entry.id, message, nextAttemptAt);
  await appendEvent(deps, entry, 'github.decision_publish_failed', {
    ...failure,
    dead_lettered: false,
    next_attempt_at: nextAttemptAt,
  });
  summary.retrying.push(entry.id);
  return nextAttemptAt;
}

async function appendEvent(
  deps: PublishOutboxDeps,
  entry: OutboxEntry,
  type: EventType,
  extra: JsonObject,
): Promise<void> {
  const traceId = stringOf(entry.payload.trace_id);
  const event = buildEvent(
    {
      type,
      ...(traceId === null ? {} : { traceId }),
      intentId: stringOf(entry.payload.intent_id),
      tenantId: entry.tenantId,
      payload: {
        outbox_id: entry.id,
        decision: stringOf(entry.payload.decision),
        ...extra,
      },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
  await deps.store.events.append(event);
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** `code: message` for domain errors, capped for the outbox row. */
function describe(error: unknown): string {
  const text =
    error instanceof DomainError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
  return text.length > 1000 ? text.slice(0, 1000) : text;
}
