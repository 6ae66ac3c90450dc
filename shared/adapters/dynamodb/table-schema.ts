import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';

/**
 * The single DynamoDB table of Converge: its key schema, its GSIs and its TTL
 * attribute. Plain data only, so `lib/` (CDK) and the tests build the same
 * table from it. Every attribute is a string; entities are told apart by the
 * prefix of `PK` (see docs/dynamodb.md for the full access-pattern map).
 */

/** Partition key attribute of the base table. */
export const PARTITION_KEY = 'PK';
/** Sort key attribute of the base table. */
export const SORT_KEY = 'SK';

/**
 * Native TTL attribute (epoch seconds). TTL deletion is lazy clean-up only:
 * every read filters on the entity's own `expiresAt` with the injected clock.
 */
export const TTL_ATTRIBUTE = 'expiresAtEpoch';

/** One global secondary index: its name and its key attributes. */
export interface IndexSpec {
  readonly name: string;
  readonly pk: string;
  readonly sk: string;
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

const index = (
  name: string,
  projection: IndexSpec['projection'] = 'ALL',
): IndexSpec => ({ name, pk: `${name}Pk`, sk: `${name}Sk`, projection });

/**
 * The GSIs, one per query shape of the store contract. Two are overloaded by
 * a partition prefix: `tenant` holds events and API keys per tenant, `time`
 * holds events (sharded) and every API key, both newest first.
 */
export const INDEXES = {
  /** Events of one intent, by `timestamp#id`. */
  intent: index('gsiIntent'),
  /** Events of one tenant; API keys of one tenant, by time. */
  tenant: index('gsiTenant'),
  /** Events of one type, by `timestamp#id`. */
  type: index('gsiType'),
  /** Events of one agent, by `timestamp#id`. */
  agent: index('gsiAgent'),
  /** Events of one trace, by `timestamp#id`. */
  trace: index('gsiTrace'),
  /** Every event in EVENT_TIME_SHARDS partitions; every API key. */
  time: index('gsiTime'),
  /** Intents of one status by `priority#createdAt#id`. */
  intentStatus: index('gsiIntentStatus'),
  /** Intents of one tenant by `priority#createdAt#id`. */
  intentTenant: index('gsiIntentTenant'),
  /** Undone outbox entries by `nextAttemptAt#createdAt#id` (sparse). */
  outbox: index('gsiOutbox'),
  /** API keys by their short public `keyId`. */
  keyId: index('gsiKeyId', 'KEYS_ONLY'),
} as const satisfies Record<string, IndexSpec>;

/**
 * Number of partitions the all-events time index is spread over. Writes scale
 * with it (each GSI partition takes about 1000 writes/s); an unfiltered read
 * queries every shard and merges, so reads cost that many queries.
 */
export const EVENT_TIME_SHARDS = 4;

const stringAttribute = (name: string): AttributeDefinition => ({
  AttributeName: name,
  AttributeType: 'S',
});

/** Attribute definitions of the table and every GSI key. */
export const ATTRIBUTE_DEFINITIONS: AttributeDefinition[] = [
  stringAttribute(PARTITION_KEY),
  stringAttribute(SORT_KEY),
  ...Object.values(INDEXES).flatMap((spec) => [
    stringAttribute(spec.pk),
    stringAttribute(spec.sk),
  ]),
];

/** The GSI definitions (on-demand billing, so no throughput). */
export const GLOBAL_SECONDARY_INDEXES: GlobalSecondaryIndex[] = Object.values(
  INDEXES,
).map((spec) => ({
  IndexName: spec.name,
  KeySchema: [
    { AttributeName: spec.pk, KeyType: 'HASH' },
    { AttributeName: spec.sk, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: spec.projection },
}));

/**
 * The CreateTable request of the Converge table; CDK mirrors it.
 * @example
 * await client.send(new CreateTableCommand(createTableInput('converge-test-1')));
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ATTRIBUTE_DEFINITIONS,
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GLOBAL_SECONDARY_INDEXES,
  };
}
