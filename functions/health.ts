import { TransientError } from '../shared/domain/errors.js';
import { ok } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';

/**
 * The route table: the local stack, the OpenAPI generator and the CDK stack
 * read it; `handler` serves it.
 */
export const routes: readonly RouteDef[] = [
  route(
    'GET /v1/health',
    { public: true, summary: 'Service health' },
    async (_ctx, deps) => ok({ status: 'ok', time: deps.clock.nowIso() }),
  ),
  route(
    'GET /v1/health/live',
    { public: true, summary: 'Liveness probe' },
    async () => ok({ status: 'alive' }),
  ),
  route(
    'GET /v1/health/ready',
    { public: true, summary: 'Readiness probe: the store answers' },
    async (_ctx, deps) => {
      try {
        await deps.store.ping();
      } catch (cause) {
        throw new TransientError('Not ready: store unavailable', 5, { cause });
      }
      return ok({ status: 'ready' });
    },
  ),
];

/** Lambda entry of the health probes. */
export const handler = httpHandler(routes);
