import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The single Powertools instances of the HTTP layer, configured once per
 * cold start. Service name and log level come from the standard
 * `POWERTOOLS_*` variables; the metric namespace is always `Converge`.
 * @example
 * logger.info('intent validated', { intentId });
 */
export const logger = new Logger({ serviceName: 'converge' });

/** X-Ray tracer; a no-op outside Lambda (local stack, tests). */
export const tracer = new Tracer({ serviceName: 'converge' });

/** EMF metrics in the `Converge` namespace. */
export const metrics = new Metrics({
  namespace: 'Converge',
  serviceName: 'converge',
});
