import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { ApiKeyRecord, KeyStore, Role } from '../../ports/store.js';
import { cancellationCodes, isConditionFailure } from './dynamodb-errors.js';
import type { DynamoGateway, Item } from './dynamodb-gateway.js';
import { instantMs, isoOfMs, sortableInstant, tableKeys } from './keys.js';
import { INDEXES } from './table-schema.js';

const ALL_KEYS = 'APIKEY#ALL';
const tenantPartition = (tenantId: string): string =>
  `APIKEY#TENANT#${tenantId}`;

function keyItem(record: ApiKeyRecord): Item {
  const order = `${sortableInstant(record.createdAt, 'createdAt')}#${record.keyHash}`;
  const item: Item = {
    ...tableKeys.apiKey(record.keyHash),
    ...record,
    expiresAtMs:
      record.expiresAt === null
        ? null
        : instantMs(record.expiresAt, 'expiresAt'),
    [INDEXES.time.pk]: ALL_KEYS,
    [INDEXES.time.sk]: order,
    [INDEXES.keyId.pk]: `APIKEY#ID#${record.keyId}`,
    [INDEXES.keyId.sk]: record.keyHash,
  };
  if (record.tenantId !== null && record.tenantId !== '') {
    item[INDEXES.tenant.pk] = tenantPartition(record.tenantId);
    item[INDEXES.tenant.sk] = order;
  }
  return item;
}

const nullableString = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;

function toRecord(item: Item): ApiKeyRecord {
  return {
    keyHash: String(item.keyHash),
    keyId: String(item.keyId),
    actor: String(item.actor),
    role: String(item.role) as Role,
    tenantId: nullableString(item.tenantId),
    scopes: Array.isArray(item.scopes) ? item.scopes.map(String) : [],
    createdAt: String(item.createdAt),
    expiresAt: nullableString(item.expiresAt),
    revokedAt: nullableString(item.revokedAt),
  };
}

/** Live: not revoked and not expired by the injected clock. */
const isLive = (item: Item, nowMs: number): boolean =>
  item.revokedAt === null &&
  (item.expiresAtMs === null || Number(item.expiresAtMs) > nowMs);

/** Condition of a live key (same rule as `isLive`, evaluated by DynamoDB). */
const LIVE_CONDITION =
  'attribute_exists(PK) AND #revokedAt = :null AND (#expMs = :null OR #expMs > :now)';

/**
 * API keys by SHA-256 hash; listed per tenant or all through the overloaded
 * tenant and time indexes, revoked by short id through the key-id index.
 */
export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly db: DynamoGateway,
    private readonly clock: Clock,
  ) {}

  async put(record: ApiKeyRecord): Promise<void> {
    try {
      await this.db.put({
        Item: keyItem(record),
        ConditionExpression: 'attribute_not_exists(PK)',
      });
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`Key ${record.keyId} already exists`);
      }
      throw error;
    }
  }

  async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
    const item = await this.db.get(tableKeys.apiKey(keyHash));
    return item !== undefined && isLive(item, this.clock.now())
      ? toRecord(item)
      : null;
  }

  async list(tenantId?: string): Promise<ApiKeyRecord[]> {
    const index = tenantId === undefined ? INDEXES.time : INDEXES.tenant;
    const pk = tenantId === undefined ? ALL_KEYS : tenantPartition(tenantId);
    const items = await this.db.queryAll({
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.pk },
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
    });
    return items.map(toRecord);
  }

  async revoke(keyId: string): Promise<boolean> {
    const matches = await this.db.queryAll({
      IndexName: INDEXES.keyId.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': INDEXES.keyId.pk },
      ExpressionAttributeValues: { ':pk': `APIKEY#ID#${keyId}` },
    });
    let revoked = false;
    for (const match of matches) {
      if (await this.revokeHash(String(match[INDEXES.keyId.sk])))
        revoked = true;
    }
    return revoked;
  }

  async rotate(
    oldKeyHash: string,
    next: ApiKeyRecord,
    graceSeconds: number,
  ): Promise<void> {
    const now = this.clock.now();
    const old = await this.db.get(tableKeys.apiKey(oldKeyHash));
    if (old === undefined || !isLive(old, now)) {
      throw new NotFoundError('The key to rotate is not live');
    }
    if (next.keyHash === oldKeyHash) {
      throw new ConflictError('The new key must differ from the old one');
    }
    const graceEnd = now + graceSeconds * 1000;
    const expiresMs =
      old.expiresAtMs === null
        ? graceEnd
        : Math.min(Number(old.expiresAtMs), graceEnd);
    try {
      await this.db.transact([
        {
          Put: {
            Item: keyItem(next),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            Key: tableKeys.apiKey(oldKeyHash),
            ConditionExpression: LIVE_CONDITION,
            UpdateExpression: 'SET #exp = :exp, #expMs = :expMs',
            ExpressionAttributeNames: {
              '#revokedAt': 'revokedAt',
              '#exp': 'expiresAt',
              '#expMs': 'expiresAtMs',
            },
            ExpressionAttributeValues: {
              ':null': null,
              ':now': now,
              ':exp': isoOfMs(expiresMs),
              ':expMs': expiresMs,
            },
          },
        },
      ]);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
        throw new ConflictError(`Key ${next.keyId} already exists`);
      }
      throw new NotFoundError('The key to rotate is not live');
    }
  }

  private async revokeHash(keyHash: string): Promise<boolean> {
    try {
      await this.db.update({
        Key: tableKeys.apiKey(keyHash),
        ConditionExpression: 'attribute_exists(PK) AND #revokedAt = :null',
        UpdateExpression: 'SET #revokedAt = :now',
        ExpressionAttributeNames: { '#revokedAt': 'revokedAt' },
        ExpressionAttributeValues: {
          ':null': null,
          ':now': this.clock.nowIso(),
        },
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
