/**
 * Metrics port: how the domain and the HTTP layer count what happens without
 * knowing where the numbers go (CloudWatch EMF in Lambda, an in-process
 * Prometheus registry locally). The names are a closed set: the ones in
 * docs/observability.md, PascalCase, in the `Converge` namespace.
 */

/** Things that happen: summed (CloudWatch Count, Prometheus counter). */
export const COUNTER_METRICS = [
  'IntentsValidated',
  'IntentsBlocked',
  'IntentsMerged',
  'IntentsRejected',
  'WebhooksReceived',
  'WebhooksFailed',
  'PoisonMessage',
  'CircuitOpen',
  'RateLimited',
  'AuthFailure',
  'Authorized',
  'HttpRequest',
  'ClientError',
  'Conflict',
  'Transient',
  'UnhandledError',
] as const;

/** Levels sampled now and then: the last value counts (Prometheus gauge). */
export const GAUGE_METRICS = ['QueueDepth'] as const;

/** Durations in milliseconds (CloudWatch Milliseconds, Prometheus histogram). */
export const TIMING_METRICS = [
  'ValidationLatency',
  'GitHubApiLatency',
  'HttpLatency',
] as const;

/** A counter name. */
export type CounterName = (typeof COUNTER_METRICS)[number];
/** A gauge name. */
export type GaugeName = (typeof GAUGE_METRICS)[number];
/** A timing name. */
export type TimingName = (typeof TIMING_METRICS)[number];
/** Every metric the service emits. */
export type MetricName = CounterName | GaugeName | TimingName;

/**
 * Labels of one sample, e.g. `{ route: 'GET /v1/health', status: '200' }`.
 * Keep them low-cardinality (route templates, never ids). Sinks whose
 * backend bills per dimension set (CloudWatch) may drop them.
 */
export type MetricDims = Readonly<Record<string, string>>;

/**
 * Where metrics go. Implementations never throw: a metric that cannot be
 * recorded is dropped, never a failed request.
 * @example
 * deps.metrics?.count('IntentsMerged');
 * deps.metrics?.timing('ValidationLatency', clock.now() - started);
 * deps.metrics?.count('HttpRequest', 1, { route: 'GET /v1/health', status: '200' });
 */
export interface MetricsSink {
  /** Adds `value` (default 1) to a counter. */
  count(name: CounterName, value?: number, dims?: MetricDims): void;
  /** Records the current level of a gauge. */
  gauge(name: GaugeName, value: number, dims?: MetricDims): void;
  /** Records one duration, in milliseconds. */
  timing(name: TimingName, ms: number, dims?: MetricDims): void;
}
