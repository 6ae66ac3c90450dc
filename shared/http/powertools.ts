import { search } from '@aws-lambda-powertools/jmespath';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** JMESPath over an invocation event (parsed JSON, so an object or nothing). */
function searchEvent(expression: string, data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return undefined;
  return search(expression, data);
}

/**
 * The single Powertools instances of the HTTP layer, configured once per
 * cold start. Service name and log level come from the standard
 * `POWERTOOLS_*` variables; the metric namespace is always `Converge`.
 * The logger gets a JMESPath search function so that `correlationIdPath`
 * (lambda-stack.ts) resolves: without one Powertools 2.x only warns and
 * logs no `correlation_id`.
 * @example
 * logger.info('intent validated', { intentId });
 */
export const logger = new Logger({
  serviceName: 'converge',
  correlationIdSearchFn: searchEvent,
});

/** X-Ray tracer; a no-op outside Lambda (local stack, tests). */
export const tracer = new Tracer({ serviceName: 'converge' });

/** EMF metrics in the `Converge` namespace. */
export const metrics = new Metrics({
  namespace: 'Converge',
  serviceName: 'converge',
});
