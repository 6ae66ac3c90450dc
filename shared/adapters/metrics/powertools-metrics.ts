import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type {
  CounterName,
  GaugeName,
  MetricDims,
  MetricsSink,
  TimingName,
} from '../../ports/metrics.js';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * The metrics sink of the deployed service: Powertools EMF in the `Converge`
 * namespace, flushed by the `logMetrics` middleware at the end of each
 * invocation. Dims are dropped on purpose: every CloudWatch metric carries
 * only the `service` dimension, which is what the dashboard and the alarms
 * of lib/constructs/metrics.ts query (another dimension set would be another
 * metric, and billed as one).
 * @example
 * const sink = new PowertoolsMetricsSink(metrics);
 * sink.count('IntentsMerged');
 */
export class PowertoolsMetricsSink implements MetricsSink {
  readonly #metrics: Metrics;

  /** `metrics`: the shared instance the middy stack flushes. */
  constructor(metrics: Metrics) {
    this.#metrics = metrics;
  }

  /** @inheritdoc Dims are dropped (see the class comment). */
  count(name: CounterName, value = 1, _dims?: MetricDims): void {
    this.#add(name, MetricUnit.Count, value);
  }

  /** @inheritdoc Dims are dropped. */
  gauge(name: GaugeName, value: number, _dims?: MetricDims): void {
    this.#add(name, MetricUnit.Count, value);
  }

  /** @inheritdoc Dims are dropped. */
  timing(name: TimingName, ms: number, _dims?: MetricDims): void {
    this.#add(name, MetricUnit.Milliseconds, ms);
  }

  #add(name: string, unit: Unit, value: number): void {
    if (!Number.isFinite(value)) return;
    try {
      this.#metrics.addMetric(name, unit, value);
    } catch {
      // A metric is never worth a failed request (MetricsSink contract).
    }
  }
}
