import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.js';
import type {
  DeliveryStore,
  EventStore,
  IntentStore,
  KeyStore,
  LockStore,
  OutboxStore,
  PolicyStore,
  RateLimitStore,
  Store,
} from '../../ports/store.js';
import { DynamoDeliveryStore } from './delivery-store.js';
import { DynamoGateway } from './dynamodb-gateway.js';
import { DynamoEventStore } from './event-store.js';
import { DynamoIntentStore } from './intent-store.js';
import { DynamoKeyStore } from './key-store.js';
import { tableKeys } from './keys.js';
import { DynamoLockStore } from './lock-store.js';
import { DynamoOutboxStore } from './outbox-store.js';
import { DynamoPolicyStore } from './policy-store.js';
import { DynamoRateLimitStore } from './rate-limit-store.js';

export { documentClientOf } from './dynamodb-gateway.js';

/** What a DynamoDbStore needs; nothing is read from the environment. */
export interface DynamoDbStoreOptions {
  /**
   * The client. A plain DynamoDBClient is wrapped in a document client that
   * drops undefined values; a document client is used as given. The store
   * never destroys it: its owner does.
   */
  client: DynamoDBDocumentClient | DynamoDBClient;
  /** The table built from `createTableInput` (table-schema.ts). */
  tableName: string;
  /** Drives every expiry check (locks, claims, keys, outbox due times). */
  clock: Clock;
  /** Retries of throttling / 5xx before a TransientError (default 3). */
  maxRetries?: number;
  /** Base delay of the exponential backoff with full jitter, ms (default 50). */
  retryBaseDelayMs?: number;
}

/**
 * The store port on one DynamoDB table (see docs/dynamodb.md): conditional
 * writes for claims, locks and versions, transactions for a transition with
 * its event and outbox entry, GSI queries only (no Scan). Throttling and 5xx
 * become TransientError after bounded retries; failed conditions become
 * ConflictError (NotFoundError / InvalidTransitionError where they apply).
 * @example
 * const store = new DynamoDbStore({ client: new DynamoDBClient({}), tableName, clock: systemClock });
 * await store.events.append(event);
 */
export class DynamoDbStore implements Store {
  readonly events: EventStore;
  readonly intents: IntentStore;
  readonly policies: PolicyStore;
  readonly locks: LockStore;
  readonly deliveries: DeliveryStore;
  readonly keys: KeyStore;
  readonly rateLimits: RateLimitStore;
  readonly outbox: OutboxStore;
  private readonly db: DynamoGateway;

  constructor(options: DynamoDbStoreOptions) {
    const { clock } = options;
    this.db = new DynamoGateway(options.client, options.tableName, {
      maxRetries: options.maxRetries ?? 3,
      baseDelayMs: options.retryBaseDelayMs ?? 50,
    });
    this.events = new DynamoEventStore(this.db);
    this.intents = new DynamoIntentStore(this.db, clock);
    this.policies = new DynamoPolicyStore(this.db, clock);
    this.locks = new DynamoLockStore(this.db, clock);
    this.deliveries = new DynamoDeliveryStore(this.db, clock);
    this.keys = new DynamoKeyStore(this.db, clock);
    this.rateLimits = new DynamoRateLimitStore(this.db, clock);
    this.outbox = new DynamoOutboxStore(this.db, clock);
  }

  /** One cheap GetItem. @throws TransientError when DynamoDB is unreachable. */
  async ping(): Promise<void> {
    await this.db.get(tableKeys.ping());
  }

  /** Nothing to release: the injected client belongs to the caller. */
  async close(): Promise<void> {}
}
