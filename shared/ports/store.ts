import type { ConvergeEvent, EventType } from '../domain/event.js';
import type {
  Intent,
  IntentPatch,
  IntentStatus,
  JsonObject,
} from '../domain/intent.js';

/** One page of results; `cursor` is opaque and absent on the last page. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Filters of `events.query`; all optional, combined with AND. */
export interface EventFilter {
  type?: EventType;
  /** Any of these types (an empty list matches nothing). */
  types?: readonly EventType[];
  intentId?: string;
  agentId?: string;
  tenantId?: string;
  traceId?: string;
  /** ISO-8601; events at or after this instant. */
  since?: string;
  /** ISO-8601; events strictly before this instant. */
  until?: string;
}

/** The only filters `events.count` accepts (reference §2). */
export const COUNT_FILTERS = [
  'type',
  'intentId',
  'agentId',
  'tenantId',
  'traceId',
] as const;
export type CountFilter = Pick<EventFilter, (typeof COUNT_FILTERS)[number]>;

/**
 * The append-only event log.
 * @example
 * await store.events.append(event);
 * const page = await store.events.query({ intentId: 'o/r:pr-1' }, { limit: 50 });
 */
export interface EventStore {
  /** Appends one event. @throws ConflictError when the id already exists. */
  append(event: ConvergeEvent): Promise<void>;
  /** Newest first (timestamp desc, then id desc); default limit 200. */
  query(
    filter?: EventFilter,
    page?: { limit?: number; cursor?: string },
  ): Promise<Page<ConvergeEvent>>;
  /**
   * The newest matching event, as `query(filter, { limit: 1 })` gives it,
   * without the page's look-ahead and cursor (a hot-path read).
   */
  latest(filter?: EventFilter): Promise<ConvergeEvent | undefined>;
  /** Counts matching events. @throws ValidationError on a filter outside COUNT_FILTERS. */
  count(filter?: CountFilter): Promise<number>;
  /** Deletes events older than `before` (or only counts them with dryRun). */
  prune(input: { before: string; dryRun?: boolean }): Promise<number>;
}

/** Filters of `intents.list`. */
export interface IntentFilter {
  status?: IntentStatus;
  tenantId?: string;
}

/** An outbox entry to write atomically with a transition (DECISIONS 13). */
export interface OutboxInput {
  id: string;
  kind: string;
  payload: JsonObject;
  tenantId: string | null;
}

/** A status change, written with its event (and outbox entry) atomically. */
export interface TransitionInput {
  id: string;
  to: IntentStatus;
  expectedVersion: number;
  event: ConvergeEvent;
  patch?: IntentPatch;
  outbox?: OutboxInput;
  /** The audited admin path: skips the state machine. */
  force?: boolean;
}

/**
 * The intents, a materialised view of the log with optimistic versions.
 * @example
 * const intent = await store.intents.create(newIntent(input, now), createdEvent);
 * await store.intents.transition({ id: intent.id, to: 'VALIDATED', expectedVersion: 1, event });
 */
export interface IntentStore {
  /** Creates an intent (and its event). @throws ConflictError when the id exists. */
  create(intent: Intent, event?: ConvergeEvent): Promise<Intent>;
  /** The intent, or null. */
  get(id: string): Promise<Intent | null>;
  /** Ordered by priority asc, then createdAt asc, then id asc. */
  list(
    filter?: IntentFilter,
    page?: { limit?: number; cursor?: string },
  ): Promise<Page<Intent>>;
  /**
   * Moves the status, appends the event and the optional outbox entry in one
   * atomic write; version + 1.
   * @throws NotFoundError when missing; InvalidTransitionError on an illegal
   * move; ConflictError when `expectedVersion` is stale.
   */
  transition(input: TransitionInput): Promise<Intent>;
  /**
   * Changes fields other than the status, with the optional event; version + 1.
   * @throws NotFoundError; ConflictError when `expectedVersion` is stale.
   */
  update(input: {
    id: string;
    expectedVersion: number;
    patch: IntentPatch;
    event?: ConvergeEvent;
  }): Promise<Intent>;
  /** Sets the retry counter (a shorthand of `update`). */
  updateRetries(
    id: string,
    retries: number,
    expectedVersion: number,
  ): Promise<Intent>;
}

/** A stored, versioned policy document. */
export interface StoredPolicy<T = JsonObject> {
  tenantId: string;
  data: T;
  version: number;
  updatedAt: string;
}

/** A stored agent policy; `tenantId` '' stands for "any tenant". */
export interface StoredAgentPolicy<T = JsonObject> extends StoredPolicy<T> {
  agentId: string;
}

/** Tenant risk policies, agent policies and compliance thresholds. */
export interface PolicyStore {
  /** Upserts; version starts at 1 and goes up by one per upsert. */
  upsertRiskPolicy(tenantId: string, data: JsonObject): Promise<StoredPolicy>;
  getRiskPolicy(tenantId: string): Promise<StoredPolicy | null>;
  listRiskPolicies(): Promise<StoredPolicy[]>;
  upsertAgentPolicy(
    agentId: string,
    tenantId: string | null,
    data: JsonObject,
  ): Promise<StoredAgentPolicy>;
  /** Exact tenant match first, then the any-tenant policy, else null. */
  getAgentPolicy(
    agentId: string,
    tenantId: string | null,
  ): Promise<StoredAgentPolicy | null>;
  listAgentPolicies(tenantId?: string): Promise<StoredAgentPolicy[]>;
  upsertComplianceThresholds(
    tenantId: string,
    data: JsonObject,
  ): Promise<StoredPolicy>;
  getComplianceThresholds(tenantId: string): Promise<StoredPolicy | null>;
  listComplianceThresholds(): Promise<StoredPolicy[]>;
}

/** A lock holder and its lease. */
export interface LockInfo {
  name: string;
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/** Named leases with a TTL; an expired lock is free on every read. */
export interface LockStore {
  /** Takes the lock if free or expired; null when someone else holds it. */
  acquire(
    name: string,
    holder: string,
    ttlMs: number,
  ): Promise<LockInfo | null>;
  /** Releases only if `holder` holds it; true when released. */
  release(name: string, holder: string): Promise<boolean>;
  /** Releases whoever holds it; true when something was released. */
  forceRelease(name: string): Promise<boolean>;
  /** The live holder, or null when free or expired. */
  info(name: string): Promise<LockInfo | null>;
}

/** Claims of delivery / job ids, for at-least-once inputs. */
export interface DeliveryStore {
  /**
   * Claims `id` for `ttlMs` (default: kept 90 days).
   * @throws ConflictError when an unexpired claim exists.
   */
  claim(id: string, ttlMs?: number): Promise<void>;
  /** True when an unexpired claim exists. */
  isClaimed(id: string): Promise<boolean>;
  /** Removes a claim so the input can be processed again (failed handling). */
  unclaim(id: string): Promise<void>;
}

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An API key as stored: only its SHA-256 hex, never the key. */
export interface ApiKeyRecord {
  keyHash: string;
  /** A short non-secret id shown in listings (first chars of the hash). */
  keyId: string;
  actor: string;
  role: Role;
  tenantId: string | null;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** API keys (DECISIONS 7). Expired or revoked keys are never returned by find. */
export interface KeyStore {
  /** @throws ConflictError when the hash exists. */
  put(record: ApiKeyRecord): Promise<void>;
  /** The live key with this hash, or null (expired or revoked -> null). */
  findByHash(keyHash: string): Promise<ApiKeyRecord | null>;
  /** Every key (live or not), optionally of one tenant, newest first. */
  list(tenantId?: string): Promise<ApiKeyRecord[]>;
  /** Marks revoked; true when a key was revoked. */
  revoke(keyId: string): Promise<boolean>;
  /**
   * Stores `next` and makes the old key expire after the grace period, in one
   * atomic write. @throws NotFoundError when the old key is not live.
   */
  rotate(
    oldKeyHash: string,
    next: ApiKeyRecord,
    graceSeconds: number,
  ): Promise<void>;
}

/** Fixed-window counters (DECISIONS 7). */
export interface RateLimitStore {
  /** Atomically adds one hit to `key`'s current window; returns the count. */
  hit(
    key: string,
    windowMs: number,
  ): Promise<{ count: number; resetAt: string }>;
}

/** A message waiting to be published (DECISIONS 13). */
export interface OutboxEntry extends OutboxInput {
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  doneAt: string | null;
}

/** Durable first, published after. */
export interface OutboxStore {
  /** @throws ConflictError when the id exists. */
  enqueue(entry: OutboxInput): Promise<void>;
  /** Undone entries whose nextAttemptAt has come, oldest first. */
  pending(limit?: number): Promise<OutboxEntry[]>;
  /** Marks published; idempotent. */
  markDone(id: string): Promise<void>;
  /** Records a failed attempt and when to try again. */
  recordAttempt(
    id: string,
    error: string,
    nextAttemptAt: string,
  ): Promise<void>;
  /** One entry, or null. */
  get(id: string): Promise<OutboxEntry | null>;
}

/** Everything Converge keeps. Every adapter passes one contract suite. */
export interface Store {
  events: EventStore;
  intents: IntentStore;
  policies: PolicyStore;
  locks: LockStore;
  deliveries: DeliveryStore;
  keys: KeyStore;
  rateLimits: RateLimitStore;
  outbox: OutboxStore;
  /** Cheap liveness probe used by /v1/health/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
