import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The correlation id's path in an API Gateway REST event, as Powertools'
 * `correlationPaths.API_GATEWAY_REST` (that module loads a JMESPath engine).
 */
export const API_GATEWAY_REQUEST_ID_PATH = 'requestContext.requestId';

const IDENTIFIER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * The logger's correlation id search: a JMESPath sub-expression of plain
 * identifiers (`a.b.c`, the only kind the stack uses) evaluated as JMESPath
 * does: each step reads a key of an object, anything else yields nothing.
 * Other expressions yield nothing too. No JMESPath engine is loaded.
 */
export function searchEvent(expression: string, data: unknown): unknown {
  if (!IDENTIFIER_PATH.test(expression)) return undefined;
  let value: unknown = data;
  for (const key of expression.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return undefined;
    }
    value = Object.hasOwn(value, key)
      ? (value as Record<string, unknown>)[key]
      : undefined;
  }
  return value;
}

/**
 * The single Powertools instances of the HTTP layer, configured once per
 * cold start. Service name and log level come from the standard
 * `POWERTOOLS_*` variables; the metric namespace is always `Converge`.
 * The logger gets a search function so that `correlationIdPath`
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
