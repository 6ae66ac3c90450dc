import { TransientError } from '../shared/domain/errors.js';
import { ok, text } from '../shared/http/responses.js';
import { httpHandler } from '../shared/http/router.js';
import { type RouteDef, route } from '../shared/http/routes.js';
import {
  PROMETHEUS_CONTENT_TYPE,
  scrapeMetrics,
} from '../shared/runtime/metrics-exposition.js';

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
  route(
    'GET /v1/metrics',
    {
      public: true,
      summary: 'Prometheus metrics of the local stack (CloudWatch EMF in AWS)',
    },
    async (_ctx, deps) => text(scrapeMetrics(deps), PROMETHEUS_CONTENT_TYPE),
  ),
];

/** Lambda entry of the health probes and the metrics scrape. */
export const handler = httpHandler(routes);
