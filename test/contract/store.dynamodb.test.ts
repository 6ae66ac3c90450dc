import { afterAll, inject } from 'vitest';
import { DynamoDbStore } from '../../shared/adapters/dynamodb/dynamodb-store.js';
import {
  createTestTable,
  deleteTestTable,
  localClient,
} from '../support/dynamodb-local.js';
import { TestClock } from '../support/test-clock.js';
import { describeStoreContract } from './store.contract.js';

const client = localClient(inject('dynamodbEndpoint'));

afterAll(() => {
  client.destroy();
});

describeStoreContract('dynamodb (DynamoDB Local)', async () => {
  const clock = new TestClock();
  const tableName = await createTestTable(client);
  const store = new DynamoDbStore({
    client,
    tableName,
    clock,
    retryBaseDelayMs: 5,
  });
  return {
    store,
    clock,
    close: async () => {
      await store.close();
      await deleteTestTable(client, tableName);
    },
  };
});
