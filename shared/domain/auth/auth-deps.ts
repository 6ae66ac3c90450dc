import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';
import type { IdSource } from '../event.js';

/** What the auth use cases need: keys, the event log, time and ids. */
export interface AuthDeps {
  store: Pick<Store, 'keys' | 'events'>;
  clock: Clock;
  ids: IdSource;
}
