import {
  PROMETHEUS_CONTENT_TYPE,
  PrometheusRegistry,
} from '../adapters/metrics/prometheus-registry.js';
import type { Deps } from './deps-type.js';

export { PROMETHEUS_CONTENT_TYPE };

/** What a scrape gets where metrics are not kept in process (Lambda). */
export const NO_LOCAL_REGISTRY =
  '# Converge metrics are published as CloudWatch EMF (namespace Converge);\n' +
  '# this runtime keeps no Prometheus registry. See docs/observability.md.\n';

/**
 * The Prometheus text (format 0.0.4) of the deps' metrics: the local
 * stack's registry, or a comment-only exposition (valid, with no samples)
 * when metrics go to CloudWatch.
 * @example
 * text(scrapeMetrics(deps), PROMETHEUS_CONTENT_TYPE);
 */
export function scrapeMetrics(deps: Pick<Deps, 'metrics'>): string {
  return deps.metrics instanceof PrometheusRegistry
    ? deps.metrics.render()
    : NO_LOCAL_REGISTRY;
}
