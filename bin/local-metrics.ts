/**
 * The local stack's metrics across its processes: each child process (the
 * worker process, the HTTP processes of a cluster) reports its registry's
 * samples to its parent every second, and what `GET /v1/metrics` renders
 * adds them up (`PrometheusRegistry.absorb`), so a scrape sees the whole
 * stack whichever process answers it.
 */
import {
  PrometheusRegistry,
  type RegistrySnapshot,
} from '../shared/adapters/metrics/prometheus-registry.js';
import type { MetricsSink } from '../shared/ports/metrics.js';

/** One process's samples, as sent over IPC. */
export interface MetricsReport {
  metrics: { source: string; snapshot: RegistrySnapshot };
}

/** Other processes' samples, as the cluster primary passes them on. */
export interface PeersReport {
  peers: Array<MetricsReport['metrics']>;
}

/** How often a process reports its samples. */
export const METRICS_EVERY_MS = 1_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isMetricsReport(message: unknown): message is MetricsReport {
  return (
    isObject(message) &&
    isObject(message.metrics) &&
    typeof message.metrics.source === 'string' &&
    Array.isArray(message.metrics.snapshot)
  );
}

export function isPeersReport(message: unknown): message is PeersReport {
  return isObject(message) && Array.isArray(message.peers);
}

/**
 * Sends this process's samples to its parent every second (when it has a
 * Prometheus registry and an IPC channel); the returned function stops
 * and sends a last report.
 * @example
 * const stop = reportMetrics(deps.metrics, `worker-${process.pid}`);
 */
export function reportMetrics(
  sink: MetricsSink | undefined,
  source: string,
): () => void {
  if (!(sink instanceof PrometheusRegistry) || !process.send) return () => {};
  const send = () => {
    if (!process.connected) return;
    const report: MetricsReport = {
      metrics: { source, snapshot: sink.snapshot() },
    };
    process.send?.(report);
  };
  const timer = setInterval(send, METRICS_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    send();
  };
}

/** Takes reported samples into `sink` when it is a Prometheus registry. */
export function absorbMetrics(
  sink: MetricsSink | undefined,
  reports: ReadonlyArray<MetricsReport['metrics']>,
): void {
  if (!(sink instanceof PrometheusRegistry)) return;
  for (const { source, snapshot } of reports) sink.absorb(source, snapshot);
}
