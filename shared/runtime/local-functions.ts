import * as auth from '../../functions/auth.js';
import * as health from '../../functions/health.js';
import * as intents from '../../functions/intents.js';
import * as queue from '../../functions/queue.js';
import type { LocalFunction } from '../http/local-server.js';

/** Every HTTP function the local stack serves, with its route table. */
export const LOCAL_FUNCTIONS: readonly LocalFunction[] = [
  { name: 'health', routes: health.routes, handler: health.handler },
  { name: 'auth', routes: auth.routes, handler: auth.handler },
  { name: 'intents', routes: intents.routes, handler: intents.handler },
  { name: 'queue', routes: queue.routes, handler: queue.handler },
];
