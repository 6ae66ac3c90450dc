import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  CONVERGE_METRICS,
  coldStartMetric,
  convergeMetric,
} from './metrics.js';

/** Props of `OpsDashboard`. */
export interface OpsDashboardProps {
  dashboardName: string;
  api: apigw.RestApi;
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  functions: ReadonlyArray<readonly [string, lambda.IFunction]>;
  alarms: readonly cw.IAlarm[];
}

const PERIOD = Duration.minutes(5);
const WIDTH = 8;

const graph = (title: string, left: cw.IMetric[], right: cw.IMetric[] = []) =>
  new cw.GraphWidget({ title, left, right, width: WIDTH, height: 6 });

function apiRow(api: apigw.RestApi): cw.IWidget[] {
  const latency = (statistic: string) =>
    api.metricLatency({
      statistic,
      period: PERIOD,
      label: `latency ${statistic}`,
    });
  return [
    graph('API latency (ms)', [latency('p50'), latency('p99')]),
    graph(
      'API errors',
      [
        api.metricClientError({ period: PERIOD, label: '4xx' }),
        api.metricServerError({ period: PERIOD, label: '5xx' }),
      ],
      [api.metricCount({ period: PERIOD, label: 'requests' })],
    ),
    graph('Auth and rate limits', [
      convergeMetric('AuthFailure', 'Sum'),
      convergeMetric('RateLimited', 'Sum'),
    ]),
  ];
}

function productRows(): cw.IWidget[] {
  const [validated, blocked, merged, received, failed, poison, circuit] =
    CONVERGE_METRICS.counts;
  const sums = (names: Parameters<typeof convergeMetric>[0][]) =>
    names.map((n) => convergeMetric(n, 'Sum'));
  const percentiles = (name: (typeof CONVERGE_METRICS.latencies)[number]) =>
    ['p50', 'p99'].map((stat) =>
      convergeMetric(name, stat).with({ label: `${name} ${stat}` }),
    );
  return [
    graph('Intents', sums([validated, blocked, merged])),
    graph('Validation latency (ms)', percentiles('ValidationLatency')),
    graph('Queue depth (reported)', [convergeMetric('QueueDepth', 'Maximum')]),
    graph('Webhooks', sums([received, failed, poison])),
    graph(
      'GitHub API latency (ms) and circuit',
      percentiles('GitHubApiLatency'),
      sums([circuit]),
    ),
  ];
}

function queueRow(queue: sqs.IQueue, dlq: sqs.IQueue): cw.IWidget[] {
  const max = { statistic: 'Maximum', period: Duration.minutes(1) };
  return [
    graph(
      'SQS depth',
      [
        queue.metricApproximateNumberOfMessagesVisible({
          ...max,
          label: 'visible',
        }),
      ],
      [
        queue.metricApproximateNumberOfMessagesNotVisible({
          ...max,
          label: 'in flight',
        }),
      ],
    ),
    graph('SQS oldest message (s)', [
      queue.metricApproximateAgeOfOldestMessage({ ...max, label: 'oldest' }),
    ]),
    graph('DLQ depth', [
      dlq.metricApproximateNumberOfMessagesVisible({ ...max, label: 'dlq' }),
    ]),
  ];
}

function lambdaRow(functions: OpsDashboardProps['functions']): cw.IWidget[] {
  const each = (metric: (name: string, fn: lambda.IFunction) => cw.IMetric) =>
    functions.map(([name, fn]) => metric(name, fn));
  return [
    graph(
      'Lambda errors',
      each((label, fn) => fn.metricErrors({ period: PERIOD, label })),
    ),
    graph(
      'Lambda throttles',
      each((label, fn) => fn.metricThrottles({ period: PERIOD, label })),
    ),
    graph('Cold starts (Powertools ColdStart)', each(coldStartMetric)),
  ];
}

/**
 * The operations dashboard: API latency p50/p99 and 4xx/5xx, the product
 * metrics of the `Converge` namespace, SQS depth, oldest age and DLQ depth,
 * Lambda errors, throttles and cold starts, and every alarm's state.
 */
export class OpsDashboard extends Construct {
  /** The CloudWatch dashboard. */
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [
        apiRow(props.api),
        productRows(),
        queueRow(props.queue, props.deadLetterQueue),
        lambdaRow(props.functions),
        [
          new cw.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: 24,
          }),
        ],
      ],
    });
  }
}
