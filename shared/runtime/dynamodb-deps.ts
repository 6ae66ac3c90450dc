import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStore } from '../adapters/dynamodb/dynamodb-store.js';
import type { Env } from '../config/env.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

/** The DynamoDB store of the deployed service (loaded only when selected). */
export function openDynamoDbStore(env: Env, clock: Clock): Store {
  if (!env.TABLE_NAME) throw new Error('TABLE_NAME is required for dynamodb');
  // The store retries throttling itself, so the SDK's own retries are off.
  const client = new DynamoDBClient({
    maxAttempts: 1,
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  });
  return new DynamoDbStore({ client, tableName: env.TABLE_NAME, clock });
}
