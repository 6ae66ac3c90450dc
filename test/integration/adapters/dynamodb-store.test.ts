import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
} from 'vitest';
import { DynamoDbStore } from '../../../shared/adapters/dynamodb/dynamodb-store.js';
import {
  EVENT_TIME_SHARDS,
  INDEXES,
} from '../../../shared/adapters/dynamodb/table-schema.js';
import {
  ConflictError,
  TransientError,
  ValidationError,
} from '../../../shared/domain/errors.js';
import {
  createTestTable,
  type DynamoDbLocal,
  deleteTestTable,
  dynamoDbLocalFromEnvOrStart,
  freePort,
  localClient,
} from '../../support/dynamodb-local.js';
import { anEvent, anIntent } from '../../support/fixtures.js';
import { TestClock } from '../../support/test-clock.js';

const MAX_RETRIES = 2;

describe('DynamoDbStore on DynamoDB Local', () => {
  let local: DynamoDbLocal;
  let client: DynamoDBClient;
  const commands: string[] = [];
  let tableName: string;
  let clock: TestClock;
  let store: DynamoDbStore;

  beforeAll(async () => {
    local = await dynamoDbLocalFromEnvOrStart();
    client = localClient(local.endpoint);
    client.middlewareStack.add(
      (next, context) => (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommandNames' },
    );
  });

  afterAll(async () => {
    client.destroy();
    await local.stop();
  });

  beforeEach(async () => {
    tableName = await createTestTable(client);
    clock = new TestClock();
    store = new DynamoDbStore({
      client,
      tableName,
      clock,
      retryBaseDelayMs: 1,
    });
    commands.length = 0;
  });

  afterEach(async () => {
    await deleteTestTable(client, tableName);
  });

  /** The raw stored item, to check the key layout (not part of the port). */
  async function rawItem(pk: string, sk: string) {
    const out = await DynamoDBDocumentClient.from(client).send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: pk, SK: sk },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }

  it('stores an intent under INTENT#<id> with order keys of zero-padded priority, createdAt, id', async () => {
    // Prepare
    const intent = anIntent({ id: 'o/r:pr-7', priority: -2, tenantId: 't1' });

    // Act
    await store.intents.create(intent);

    // Assess
    const item = await rawItem('INTENT#o/r:pr-7', 'INTENT');
    const order = `0999999999998#${intent.createdAt}#o/r:pr-7`;
    expect(item).toMatchObject({
      [INDEXES.intentStatus.pk]: 'INTENT#STATUS#READY',
      [INDEXES.intentStatus.sk]: order,
      [INDEXES.intentTenant.pk]: 'INTENT#TENANT#t1',
      [INDEXES.intentTenant.sk]: order,
      version: 1,
    });
  });

  it('stores an event under EVENT#<id>, in one time shard and only the indexes of its non-null fields', async () => {
    const event = anEvent({ id: 'e-1', intentId: 'i-1', agentId: null });

    await store.events.append(event);

    const item = await rawItem('EVENT#e-1', 'EVENT');
    const sk = `${event.timestamp}#e-1`;
    expect(item).toMatchObject({
      [INDEXES.intent.pk]: 'EVENT#INTENT#i-1',
      [INDEXES.intent.sk]: sk,
      [INDEXES.type.pk]: 'EVENT#TYPE#intent.created',
      [INDEXES.trace.pk]: `EVENT#TRACE#${event.traceId}`,
      [INDEXES.time.sk]: sk,
    });
    expect(item?.[INDEXES.time.pk]).toMatch(
      new RegExp(`^EVENT#SHARD#[0-${EVENT_TIME_SHARDS - 1}]$`),
    );
    expect(item).not.toHaveProperty(INDEXES.agent.pk);
    expect(item).not.toHaveProperty(INDEXES.tenant.pk);
  });

  it('takes a done outbox entry out of the sparse pending index', async () => {
    await store.outbox.enqueue({
      id: 'ob-1',
      kind: 'k',
      payload: {},
      tenantId: null,
    });

    await store.outbox.markDone('ob-1');

    const item = await rawItem('OUTBOX#ob-1', 'OUTBOX');
    expect(item).not.toHaveProperty(INDEXES.outbox.pk);
    expect(item?.doneAt).toBe(clock.nowIso());
  });

  it('orders events by instant even when timestamps differ in precision', async () => {
    const whole = anEvent({ id: 'e-whole', timestamp: '2030-01-01T00:00:01Z' });
    const half = anEvent({
      id: 'e-half',
      timestamp: '2030-01-01T00:00:00.500Z',
    });
    await store.events.append(whole);
    await store.events.append(half);

    const page = await store.events.query({
      since: '2030-01-01T00:00:00.600Z',
    });
    const all = await store.events.query();

    expect(page.items.map((e) => e.id)).toEqual(['e-whole']);
    expect(all.items.map((e) => e.id)).toEqual(['e-whole', 'e-half']);
    expect(all.items[0]).toEqual(whole);
  });

  it('sorts a negative priority before the default one', async () => {
    const urgent = anIntent({ priority: -1 });
    const normal = anIntent();
    await store.intents.create(normal);
    await store.intents.create(urgent);

    const page = await store.intents.list();

    expect(page.items.map((i) => i.id)).toEqual([urgent.id, normal.id]);
  });

  it('rejects a cursor of another query, partition or range with ValidationError', async () => {
    for (const n of [0, 1, 2]) {
      await store.events.append(
        anEvent({ intentId: 'i-1', timestamp: clock.advance(1000) }),
      );
      await store.intents.create(anIntent({ priority: n }));
    }
    const events = await store.events.query({ intentId: 'i-1' }, { limit: 1 });
    const cursor = events.cursor ?? '';

    await expect(store.intents.list({}, { cursor })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      store.events.query({ intentId: 'i-2' }, { cursor }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      store.events.query(
        { intentId: 'i-1', until: clock.advance(-2500) },
        { cursor },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(store.events.query({}, { limit: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('never sends a Scan: every port method uses keys or indexes', async () => {
    const intent = anIntent({ tenantId: 't1' });
    await store.intents.create(intent, anEvent({ intentId: intent.id }));
    await store.intents.list({});
    await store.intents.list({ status: 'READY', tenantId: 't1' });
    await store.intents.transition({
      id: intent.id,
      to: 'VALIDATED',
      expectedVersion: 1,
      event: anEvent({ intentId: intent.id }),
      outbox: { id: 'ob-1', kind: 'k', payload: {}, tenantId: 't1' },
    });
    await store.intents.updateRetries(intent.id, 1, 2);
    await store.events.query({ type: 'intent.created', since: clock.nowIso() });
    await store.events.count({});
    await store.events.count({ tenantId: 't1' });
    await store.events.prune({ before: clock.advance(1000) });
    await store.policies.upsertAgentPolicy('bot', null, {});
    await store.policies.getAgentPolicy('bot', 't1');
    await store.policies.listAgentPolicies('t1');
    await store.policies.listRiskPolicies();
    await store.locks.acquire('q', 'w', 1000);
    await store.locks.info('q');
    await store.locks.release('q', 'w');
    await store.locks.forceRelease('q');
    await store.deliveries.claim('d');
    await store.deliveries.isClaimed('d');
    await store.deliveries.unclaim('d');
    const key = {
      keyHash: 'a'.repeat(64),
      keyId: 'aaaaaaaaaaaa',
      actor: 'alice',
      role: 'admin' as const,
      tenantId: 't1',
      scopes: [],
      createdAt: clock.nowIso(),
      expiresAt: null,
      revokedAt: null,
    };
    await store.keys.put(key);
    await store.keys.findByHash(key.keyHash);
    await store.keys.list();
    await store.keys.list('t1');
    await store.keys.rotate(
      key.keyHash,
      { ...key, keyHash: 'b'.repeat(64), keyId: 'bbbbbbbbbbbb' },
      60,
    );
    await store.keys.revoke('bbbbbbbbbbbb');
    await store.rateLimits.hit('k', 1000);
    await store.outbox.pending();
    await store.outbox.recordAttempt('ob-1', 'boom', clock.nowIso());
    await store.outbox.markDone('ob-1');
    await store.outbox.get('ob-1');
    await store.ping();

    const used = new Set(commands.map((name) => name.replace(/Command$/, '')));
    expect(used.has('Scan')).toBe(false);
    expect([...used].sort()).toEqual([
      'BatchWriteItem',
      'DeleteItem',
      'GetItem',
      'PutItem',
      'Query',
      'TransactWriteItems',
      'UpdateItem',
    ]);
  });

  it('retries a transaction whose response was lost without failing its own conditions', async () => {
    // Prepare: the first TransactWriteItems commits, then its response is "lost".
    const flaky = localClient(local.endpoint);
    let lost = 0;
    flaky.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'TransactWriteItemsCommand' && lost === 0) {
          lost += 1;
          throw Object.assign(new Error('response lost'), {
            name: 'InternalServerError',
            $metadata: { httpStatusCode: 500 },
          });
        }
        return out;
      },
      { step: 'initialize', name: 'loseFirstTransactResponse' },
    );
    const retrying = new DynamoDbStore({
      client: flaky,
      tableName,
      clock,
      retryBaseDelayMs: 1,
    });
    const intent = anIntent();

    // Act
    const created = await retrying.intents.create(
      intent,
      anEvent({ intentId: intent.id }),
    );

    // Assess
    expect(lost).toBe(1);
    expect(created).toEqual(intent);
    expect(await store.intents.get(intent.id)).toEqual(intent);
    expect(await store.events.count({ intentId: intent.id })).toBe(1);
    flaky.destroy();
  });

  it('maps an unreachable endpoint to TransientError after bounded retries', async () => {
    const port = await freePort();
    const dead = localClient(`http://127.0.0.1:${port}`);
    const offline = new DynamoDbStore({
      client: dead,
      tableName,
      clock,
      maxRetries: 1,
      retryBaseDelayMs: 1,
    });

    await expect(offline.ping()).rejects.toBeInstanceOf(TransientError);
    dead.destroy();
  });
});

describe('DynamoDbStore error mapping (aws-sdk-client-mock)', () => {
  const meta = { $metadata: {} };
  let doc: DynamoDBDocumentClient;
  let mock: ReturnType<typeof mockClient>;
  let store: DynamoDbStore;

  beforeEach(() => {
    doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    );
    mock = mockClient(doc);
    store = new DynamoDbStore({
      client: doc,
      tableName: 'converge',
      clock: new TestClock(),
      maxRetries: MAX_RETRIES,
      retryBaseDelayMs: 1,
    });
  });

  afterEach(() => {
    mock.restore();
  });

  const transient: Array<[string, () => Error]> = [
    [
      'ProvisionedThroughputExceededException',
      () =>
        new ProvisionedThroughputExceededException({
          message: 'slow',
          ...meta,
        }),
    ],
    [
      'ThrottlingException',
      () => new ThrottlingException({ message: 'slow', ...meta }),
    ],
    [
      'RequestLimitExceeded',
      () => new RequestLimitExceeded({ message: 'slow', ...meta }),
    ],
    [
      'InternalServerError (500)',
      () =>
        new InternalServerError({
          message: 'boom',
          $metadata: { httpStatusCode: 500 },
        }),
    ],
    [
      'a bare 503',
      () =>
        Object.assign(new Error('unavailable'), {
          name: 'Unknown',
          $metadata: { httpStatusCode: 503 },
        }),
    ],
  ];

  it.each(transient)(
    'retries %s, then raises TransientError',
    async (_, error) => {
      mock.on(GetCommand).rejects(error());

      const failure = await store.intents
        .get('o/r:pr-1')
        .catch((e: unknown) => e);

      expect(failure).toBeInstanceOf(TransientError);
      expect((failure as TransientError).cause).toBeDefined();
      expect(mock.commandCalls(GetCommand)).toHaveLength(MAX_RETRIES + 1);
    },
  );

  it('succeeds when throttling stops within the retries', async () => {
    mock
      .on(GetCommand)
      .rejectsOnce(new ThrottlingException({ message: 'slow', ...meta }))
      .resolves({ Item: undefined });

    await expect(store.intents.get('o/r:pr-1')).resolves.toBeNull();
    expect(mock.commandCalls(GetCommand)).toHaveLength(2);
  });

  it('maps ConditionalCheckFailedException to ConflictError without retrying', async () => {
    mock
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'no', ...meta }));

    await expect(store.events.append(anEvent())).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(mock.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('maps a cancelled transaction with a ConditionalCheckFailed reason to ConflictError', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        ...meta,
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed' },
        ],
      }),
    );

    const failure = await store.intents
      .create(anIntent(), anEvent())
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ConflictError);
    expect((failure as Error).message).toMatch(/Event id/);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('retries a transaction cancelled by a TransactionConflict, then raises TransientError', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        ...meta,
        CancellationReasons: [
          { Code: 'TransactionConflict' },
          { Code: 'None' },
        ],
      }),
    );

    await expect(
      store.intents.create(anIntent(), anEvent()),
    ).rejects.toBeInstanceOf(TransientError);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(
      MAX_RETRIES + 1,
    );
  });

  it('resends batch deletes DynamoDB left unprocessed', async () => {
    const key = { PK: 'EVENT#e-1', SK: 'EVENT' };
    mock.on(QueryCommand).resolves({ Items: [] });
    mock
      .on(QueryCommand, {
        ExpressionAttributeValues: {
          ':kpk': 'EVENT#SHARD#0',
          ':ksk': '2031-01-01T00:00:00.000Z',
        },
      })
      .resolves({ Items: [key] });
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({
        UnprocessedItems: { converge: [{ DeleteRequest: { Key: key } }] },
      })
      .resolves({});

    const pruned = await store.events.prune({
      before: '2031-01-01T00:00:00.000Z',
    });

    expect(pruned).toBe(1);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(2);
  });
});
