import { DynamoDbStore } from '../adapters/dynamodb/dynamodb-store.js';
import type { Env } from '../config/env.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

/**
 * The DynamoDB store of the deployed service (loaded only when selected).
 * The SDK client is imported here, on first use, rather than statically:
 * a static import of an external package is hoisted to the top of a Lambda
 * bundle and loaded at module init.
 * @throws Error when `TABLE_NAME` is missing.
 */
export async function openDynamoDbStore(
  env: Env,
  clock: Clock,
): Promise<Store> {
  if (!env.TABLE_NAME) throw new Error('TABLE_NAME is required for dynamodb');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  // The store retries throttling itself, so the SDK's own retries are off.
  const client = new DynamoDBClient({
    maxAttempts: 1,
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  });
  return new DynamoDbStore({ client, tableName: env.TABLE_NAME, clock });
}
