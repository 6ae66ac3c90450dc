import type {
  CounterName,
  GaugeName,
  MetricDims,
  MetricName,
  MetricsSink,
  TimingName,
} from '../../ports/metrics.js';

/** The content type of Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE =
  'text/plain; version=0.0.4; charset=utf-8';

/** Histogram buckets in seconds: Prometheus' defaults plus 30 s and 60 s. */
export const DEFAULT_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

type Kind = 'counter' | 'gauge' | 'histogram';

interface FamilySpec {
  name: string;
  help: string;
}

/** Every metric's Prometheus name and help, in exposition order. */
const FAMILIES: Readonly<Record<MetricName, FamilySpec>> = {
  IntentsValidated: c('intents_validated', 'Validations that passed.'),
  IntentsBlocked: c('intents_blocked', 'Validations that blocked.'),
  IntentsMerged: c('intents_merged', 'Intents merged by the queue.'),
  IntentsRejected: c('intents_rejected', 'Intents rejected by the queue.'),
  ValidationLatency: {
    name: 'converge_validation_latency_seconds',
    help: 'Duration of one validation.',
  },
  QueueDepth: {
    name: 'converge_queue_depth',
    help: 'Intents waiting in the branch queue at the last pass.',
  },
  WebhooksReceived: c('webhooks_received', 'GitHub deliveries accepted.'),
  WebhooksFailed: c('webhooks_failed', 'GitHub deliveries that failed.'),
  PoisonMessage: c('poison_message', 'Bus messages dropped as permanent.'),
  GitHubApiLatency: {
    name: 'converge_github_api_latency_seconds',
    help: 'Duration of one GitHub API call.',
  },
  CircuitOpen: c('circuit_open', 'Calls refused by an open circuit.'),
  RateLimited: c('rate_limited', 'Requests answered 429.'),
  AuthFailure: c('auth_failure', 'Requests answered 401 or 403.'),
  Authorized: c('authorized', 'Requests the authorizer allowed.'),
  HttpRequest: {
    name: 'converge_http_requests_total',
    help: 'HTTP requests by route and status.',
  },
  HttpLatency: {
    name: 'converge_http_request_duration_seconds',
    help: 'HTTP request duration by route.',
  },
  ClientError: c('client_error', 'Requests answered 400, 413 or 415.'),
  Conflict: c('conflict', 'Requests answered 409.'),
  Transient: c('transient', 'Requests answered 503.'),
  UnhandledError: c('unhandled_error', 'Requests answered 500.'),
};

function c(snake: string, help: string): FamilySpec {
  return { name: `converge_${snake}_total`, help };
}

interface Series {
  labels: string;
  value: number;
  /** Gauges: when last set (ms since the epoch), so the newest source wins. */
  at: number;
  /** Histograms: observations per bucket (not cumulative), sum, count. */
  buckets: number[];
  sum: number;
  count: number;
}

interface Family {
  kind: Kind;
  series: Map<string, Series>;
}

/**
 * A registry's samples as plain data (what `snapshot()` returns and
 * `absorb()` takes), to carry between processes.
 */
export type RegistrySnapshot = Array<{
  name: MetricName;
  kind: Kind;
  series: Series[];
}>;

/** Adds `series` into `into`: sums counts, the newest gauge wins. */
function addSeries(into: Series, series: Series): void {
  if (series.at > into.at) {
    into.value = series.value;
    into.at = series.at;
  } else if (series.at === 0 && into.at === 0) {
    into.value += series.value;
  }
  series.buckets.forEach((n, i) => {
    into.buckets[i] = (into.buckets[i] ?? 0) + (n ?? 0);
  });
  into.sum += series.sum;
  into.count += series.count;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/"/g, '\\"');
}

/** `a="x",b="y"`, names sorted; labels with invalid names are dropped. */
function labelText(dims: MetricDims | undefined): string {
  return Object.entries(dims ?? {})
    .filter(([name]) => LABEL_NAME.test(name) && name !== 'le')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}="${escapeLabel(value)}"`)
    .join(',');
}

function braces(labels: string): string {
  return labels === '' ? '' : `{${labels}}`;
}

function withLabel(labels: string, extra: string): string {
  return braces(labels === '' ? extra : `${labels},${extra}`);
}

/** Go's float formatting as Prometheus parses it. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * An in-process metrics registry for the local stack, rendered in the
 * Prometheus text exposition format 0.0.4 by `GET /v1/metrics`. Counters
 * are `converge_<name>_total`, `QueueDepth` is a gauge, timings are
 * histograms in seconds. Families appear once they have a sample, in a
 * fixed order; series are sorted by their labels.
 * @example
 * const registry = new PrometheusRegistry();
 * registry.count('HttpRequest', 1, { route: 'GET /v1/health', status: '200' });
 * registry.render();
 * // # HELP converge_http_requests_total HTTP requests by route and status.
 * // # TYPE converge_http_requests_total counter
 * // converge_http_requests_total{route="GET /v1/health",status="200"} 1
 */
export class PrometheusRegistry implements MetricsSink {
  readonly #buckets: readonly number[];
  readonly #families = new Map<MetricName, Family>();
  readonly #absorbed = new Map<string, RegistrySnapshot>();

  /** `buckets`: histogram upper bounds in seconds, ascending. */
  constructor(options: { buckets?: readonly number[] } = {}) {
    const buckets = options.buckets ?? DEFAULT_BUCKETS_SECONDS;
    this.#buckets = [...buckets].sort((a, b) => a - b);
  }

  /** @inheritdoc Negative and non-finite increments are ignored. */
  count(name: CounterName, value = 1, dims?: MetricDims): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.#series(name, 'counter', dims).value += value;
  }

  /** @inheritdoc */
  gauge(name: GaugeName, value: number, dims?: MetricDims): void {
    if (!Number.isFinite(value)) return;
    const series = this.#series(name, 'gauge', dims);
    series.value = value;
    series.at = Date.now();
  }

  /** @inheritdoc Observed in seconds. */
  timing(name: TimingName, ms: number, dims?: MetricDims): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const seconds = ms / 1000;
    const series = this.#series(name, 'histogram', dims);
    const index = this.#buckets.findIndex((le) => seconds <= le);
    if (index >= 0) series.buckets[index] = (series.buckets[index] ?? 0) + 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** This process's own samples (absorbed ones excluded), as plain data. */
  snapshot(): RegistrySnapshot {
    return [...this.#families].map(([name, family]) => ({
      name,
      kind: family.kind,
      series: [...family.series.values()].map((series) => ({
        ...series,
        buckets: [...series.buckets],
      })),
    }));
  }

  /**
   * Takes another process's `snapshot()` (replacing what `source` sent
   * before) into what `render()` shows: counters and histograms add up
   * across sources, a gauge shows its most recently set value. A source
   * that goes away keeps its last snapshot, so totals never go down.
   */
  absorb(source: string, snapshot: RegistrySnapshot): void {
    this.#absorbed.set(source, snapshot);
  }

  #merged(): Map<MetricName, Family> {
    const merged = new Map<MetricName, Family>();
    const add = (name: MetricName, kind: Kind, series: Series) => {
      let family = merged.get(name);
      if (!family) {
        family = { kind, series: new Map() };
        merged.set(name, family);
      }
      const into = family.series.get(series.labels);
      if (into) addSeries(into, series);
      else
        family.series.set(series.labels, {
          ...series,
          buckets: [...series.buckets],
        });
    };
    for (const part of [this.snapshot(), ...this.#absorbed.values()]) {
      for (const family of part) {
        for (const series of family.series)
          add(family.name, family.kind, series);
      }
    }
    return merged;
  }

  /** The exposition text ('' when nothing was recorded). */
  render(): string {
    const lines: string[] = [];
    const families =
      this.#absorbed.size === 0 ? this.#families : this.#merged();
    for (const name of Object.keys(FAMILIES) as MetricName[]) {
      const family = families.get(name);
      if (!family) continue;
      const spec = FAMILIES[name];
      lines.push(`# HELP ${spec.name} ${spec.help}`);
      lines.push(`# TYPE ${spec.name} ${family.kind}`);
      const sorted = [...family.series.values()].sort((a, b) =>
        a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0,
      );
      for (const series of sorted) {
        lines.push(...this.#sampleLines(spec.name, family.kind, series));
      }
    }
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  #sampleLines(name: string, kind: Kind, series: Series): string[] {
    if (kind !== 'histogram') {
      return [`${name}${braces(series.labels)} ${formatValue(series.value)}`];
    }
    const lines: string[] = [];
    let cumulative = 0;
    this.#buckets.forEach((le, i) => {
      cumulative += series.buckets[i] ?? 0;
      const labels = withLabel(series.labels, `le="${formatValue(le)}"`);
      lines.push(`${name}_bucket${labels} ${cumulative}`);
    });
    const inf = withLabel(series.labels, 'le="+Inf"');
    lines.push(`${name}_bucket${inf} ${series.count}`);
    lines.push(
      `${name}_sum${braces(series.labels)} ${formatValue(series.sum)}`,
    );
    lines.push(`${name}_count${braces(series.labels)} ${series.count}`);
    return lines;
  }

  #series(name: MetricName, kind: Kind, dims: MetricDims | undefined): Series {
    let family = this.#families.get(name);
    if (!family) {
      family = { kind, series: new Map() };
      this.#families.set(name, family);
    }
    const labels = labelText(dims);
    let series = family.series.get(labels);
    if (!series) {
      series = { labels, value: 0, at: 0, buckets: [], sum: 0, count: 0 };
      family.series.set(labels, series);
    }
    return series;
  }
}
