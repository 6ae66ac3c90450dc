import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.js';
import { OpsDashboard } from './dashboard.js';
import { convergeMetric } from './metrics.js';

/** Props of `Observability`. */
export interface ObservabilityProps {
  config: StackConfig;
  api: apigw.RestApi;
  queue: sqs.IQueue;
  deadLetterQueue: sqs.IQueue;
  functions: ReadonlyArray<readonly [string, lambda.IFunction]>;
  /** `functions/queue-processor.ts`, when it exists. */
  processor: lambda.IFunction | undefined;
}

type AlarmSpec = Omit<cw.CreateAlarmOptions, 'alarmName'> & {
  id: string;
  metric: cw.IMetric;
};

/**
 * Alarms and the dashboard. Every alarm (and its return to OK) notifies one
 * SNS topic with at least two subscriptions, email and HTTPS, so no single
 * inbox or pager is a single point of failure.
 */
export class Observability extends Construct {
  /** Where every alarm goes. */
  readonly topic: sns.Topic;
  /** The alarms, for tests and outputs. */
  readonly alarms: cw.Alarm[];
  /** The operations dashboard. */
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Converge ${config.envName} alarms`,
      enforceSSL: true,
    });
    for (const email of config.notifications.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    for (const url of config.notifications.httpsEndpoints) {
      this.topic.addSubscription(new subscriptions.UrlSubscription(url));
    }
    const action = new cwActions.SnsAction(this.topic);
    this.alarms = alarmSpecs(props).map(({ id: alarmId, metric, ...opts }) => {
      const alarm = new cw.Alarm(this, alarmId, {
        metric,
        alarmName: `${config.prefix}-${alarmId}`,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
        ...opts,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
    this.dashboard = new OpsDashboard(this, 'Ops', {
      dashboardName: `${config.prefix}-ops`,
      api: props.api,
      queue: props.queue,
      deadLetterQueue: props.deadLetterQueue,
      functions: props.functions,
      alarms: this.alarms,
    }).dashboard;
  }
}

function alarmSpecs(props: ObservabilityProps): AlarmSpec[] {
  const { alarms } = props.config;
  const period = Duration.minutes(5);
  const minute = Duration.minutes(1);
  const above = cw.ComparisonOperator.GREATER_THAN_THRESHOLD;
  const specs: AlarmSpec[] = [
    {
      id: 'Api5xxRate',
      alarmDescription: `API 5xx > ${alarms.serverErrorRatePercent}% of requests`,
      metric: new cw.MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period, statistic: 'Sum' }),
          requests: props.api.metricCount({ period, statistic: 'Sum' }),
        },
        period,
        label: '5xx rate (%)',
      }),
      threshold: alarms.serverErrorRatePercent,
      comparisonOperator: above,
      evaluationPeriods: alarms.evaluationPeriods,
    },
    {
      id: 'ApiP99Latency',
      alarmDescription: `API p99 latency > ${alarms.p99LatencyMs} ms`,
      metric: props.api.metricLatency({ period, statistic: 'p99' }),
      threshold: alarms.p99LatencyMs,
      comparisonOperator: above,
      evaluationPeriods: alarms.evaluationPeriods,
    },
    {
      id: 'DeadLetterQueueNotEmpty',
      alarmDescription: 'A message reached the DLQ (docs/observability.md)',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: minute,
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: above,
      evaluationPeriods: 1,
    },
    {
      id: 'QueueOldestMessage',
      alarmDescription: `Oldest queued message > ${alarms.oldestMessageSeconds} s`,
      metric: props.queue.metricApproximateAgeOfOldestMessage({
        period: minute,
        statistic: 'Maximum',
      }),
      threshold: alarms.oldestMessageSeconds,
      comparisonOperator: above,
      evaluationPeriods: 1,
    },
    {
      id: 'GitHubCircuitOpen',
      alarmDescription: 'GitHub circuit breaker open for 5 minutes',
      metric: convergeMetric('CircuitOpen', 'Sum', minute),
      threshold: 0,
      comparisonOperator: above,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
    },
  ];
  if (props.processor) {
    specs.push({
      id: 'QueueProcessorErrors',
      alarmDescription: 'Queue processor invocations failed',
      metric: props.processor.metricErrors({ period, statistic: 'Sum' }),
      threshold: alarms.processorErrors,
      comparisonOperator:
        cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
  }
  return specs;
}
