import { buildOpenApi, type OpenApiDocument } from '../shared/http/openapi.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import { routes as agents } from './agents.js';
import { routes as auth } from './auth.js';
import { routes as compliance } from './compliance.js';
import { routes as dashboard } from './dashboard.js';
import { routes as events } from './events.js';
import { routes as governance } from './governance.js';
import { routes as health } from './health.js';
import { routes as intents } from './intents.js';
import { routes as queue } from './queue.js';
import { routes as risk } from './risk.js';
import { routes as webhooks } from './webhooks.js';

/** The server the generated document names (the local stack's default). */
export const OPENAPI_SERVERS = [{ url: 'http://127.0.0.1:8080' }];

/**
 * The document of every route table, this one included: `npm run openapi`
 * writes it to docs/openapi.json and `GET /v1/openapi.json` serves it. The
 * tables are imported here rather than through shared/runtime/local-functions
 * (which imports this file).
 * @example
 * const doc = buildConvergeOpenApi();
 */
export function buildConvergeOpenApi(): OpenApiDocument {
  const tables = [
    health,
    auth,
    intents,
    queue,
    risk,
    agents,
    compliance,
    events,
    dashboard,
    webhooks,
    governance,
    routes,
  ];
  return buildOpenApi(
    tables,
    { title: 'Converge API', version: '1.0.0' },
    OPENAPI_SERVERS,
  );
}

let cached: OpenApiDocument | undefined;

/** The route table: the API's own OpenAPI 3.1 document, public. */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/openapi.json',
    { public: true, summary: 'The OpenAPI 3.1 document of this API' },
    async () => {
      cached ??= buildConvergeOpenApi();
      return ok(cached);
    },
  ),
];

/** Lambda entry of the OpenAPI document. */
export const handler = httpHandler(routes);
