import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import * as powertools from './powertools.js';

/** The Powertools instances a stack uses (defaults: `./powertools.js`). */
export interface Observability {
  logger: Logger;
  tracer: Tracer;
  metrics: Metrics;
}

/** Fills missing instances with the shared ones. */
export function observability(
  options: Partial<Observability> = {},
): Observability {
  return {
    logger: options.logger ?? powertools.logger,
    tracer: options.tracer ?? powertools.tracer,
    metrics: options.metrics ?? powertools.metrics,
  };
}

/**
 * EMF is only written in Lambda. Elsewhere (local stack, tests) Powertools
 * metrics are disabled, metrics go to the deps' sink (the Prometheus
 * registry), and a flush would only warn "No application metrics to
 * publish" on every request.
 */
function inLambda(): boolean {
  return process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
}

/**
 * Wraps a Lambda function in the shared Powertools middy stack: tracer
 * (response not captured: X-Ray's 64 KB segment limit), logger with the API
 * Gateway request id as correlation id (resolved by the logger's JMESPath
 * search function, powertools.ts) and keys reset per invocation, and, in
 * Lambda, metrics with the cold-start metric. Used by `httpHandler` and by
 * handlers that are not HTTP routes (the authorizer, the scheduler).
 * @example
 * export const handler = observed(async (event) => authorize(event));
 */
export function observed<E, R>(
  fn: (event: E, context: Context) => Promise<R>,
  obs: Observability = observability(),
): MiddyfiedHandler<E, R> {
  const stack = middy<E, R>()
    .use(captureLambdaHandler(obs.tracer, { captureResponse: false }))
    .use(
      injectLambdaContext(obs.logger, {
        resetKeys: true,
        correlationIdPath: powertools.API_GATEWAY_REQUEST_ID_PATH,
      }),
    );
  if (inLambda()) {
    stack.use(logMetrics(obs.metrics, { captureColdStartMetric: true }));
  }
  return stack.handler(fn);
}
