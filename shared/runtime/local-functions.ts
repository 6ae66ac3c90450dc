import * as agents from '../../functions/agents.js';
import * as auth from '../../functions/auth.js';
import * as compliance from '../../functions/compliance.js';
import * as dashboard from '../../functions/dashboard.js';
import * as events from '../../functions/events.js';
import * as governance from '../../functions/governance.js';
import * as health from '../../functions/health.js';
import * as intents from '../../functions/intents.js';
import * as openapi from '../../functions/openapi.js';
import * as queue from '../../functions/queue.js';
import * as risk from '../../functions/risk.js';
import * as webhooks from '../../functions/webhooks.js';
import type { LocalFunction } from '../http/local-server.js';

/** Every HTTP function the local stack serves, with its route table. */
export const LOCAL_FUNCTIONS: readonly LocalFunction[] = [
  { name: 'health', routes: health.routes, handler: health.handler },
  { name: 'auth', routes: auth.routes, handler: auth.handler },
  { name: 'intents', routes: intents.routes, handler: intents.handler },
  { name: 'queue', routes: queue.routes, handler: queue.handler },
  { name: 'risk', routes: risk.routes, handler: risk.handler },
  { name: 'agents', routes: agents.routes, handler: agents.handler },
  {
    name: 'compliance',
    routes: compliance.routes,
    handler: compliance.handler,
  },
  { name: 'events', routes: events.routes, handler: events.handler },
  { name: 'dashboard', routes: dashboard.routes, handler: dashboard.handler },
  { name: 'webhooks', routes: webhooks.routes, handler: webhooks.handler },
  {
    name: 'governance',
    routes: governance.routes,
    handler: governance.handler,
  },
  { name: 'openapi', routes: openapi.routes, handler: openapi.handler },
];
