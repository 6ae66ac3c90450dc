import { SqliteStore } from '../../shared/adapters/sqlite/sqlite-store.js';
import { TestClock } from '../support/test-clock.js';
import { describeStoreContract } from './store.contract.js';

describeStoreContract('sqlite (:memory:)', async () => {
  const clock = new TestClock();
  const store = SqliteStore.open({ path: ':memory:', clock });
  return { store, clock, close: () => store.close() };
});
