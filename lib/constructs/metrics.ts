import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { METRIC_NAMESPACE, SERVICE_NAME } from '../config.js';

/**
 * The product metrics the handlers emit through Powertools (EMF), in the
 * `Converge` namespace with the `service` dimension Powertools adds.
 */
export const CONVERGE_METRICS = {
  counts: [
    'IntentsValidated',
    'IntentsBlocked',
    'IntentsMerged',
    'WebhooksReceived',
    'WebhooksFailed',
    'PoisonMessage',
    'CircuitOpen',
    'RateLimited',
    'AuthFailure',
  ],
  latencies: ['ValidationLatency', 'GitHubApiLatency'],
  gauges: ['QueueDepth'],
} as const;

/** One metric name of `CONVERGE_METRICS`. */
export type ConvergeMetricName =
  (typeof CONVERGE_METRICS)[keyof typeof CONVERGE_METRICS][number];

/**
 * A Powertools metric of the `Converge` namespace.
 * @example
 * convergeMetric('IntentsMerged', 'Sum', Duration.minutes(5));
 */
export function convergeMetric(
  name: ConvergeMetricName,
  statistic: string,
  period: Duration = Duration.minutes(5),
): cw.Metric {
  return new cw.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
  });
}

/**
 * The Powertools `ColdStart` metric of one function: emitted once per cold
 * start with the `function_name` dimension.
 */
export function coldStartMetric(
  label: string,
  fn: lambda.IFunction,
): cw.Metric {
  return new cw.Metric({
    namespace: METRIC_NAMESPACE,
    metricName: 'ColdStart',
    dimensionsMap: { service: SERVICE_NAME, function_name: fn.functionName },
    statistic: 'Sum',
    period: Duration.minutes(5),
    label,
  });
}
