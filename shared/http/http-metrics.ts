import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { MetricsSink } from '../ports/metrics.js';
import { errorMetricOf } from './http-errors.js';

/** Options of `httpMetrics`. */
export interface HttpMetricsOptions {
  /** The sink of this request (the deps' `metrics`); none: not counted. */
  sink(): Promise<MetricsSink | undefined>;
  /** The route label: the matched route key, e.g. `GET /v1/intents/{id}`. */
  routeOf(event: APIGatewayProxyEvent): string;
  /** A monotonic clock in ms (default `performance.now`). */
  now?: () => number;
}

type HttpRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * middy middleware counting every request once it has its final status:
 * `HttpRequest` by route and status, `HttpLatency` by route, and the error
 * class metric of HOUSE_STYLE §8 (`AuthFailure`, `RateLimited`, ...). It is
 * attached just before `httpErrors`, so its `onError` runs after the error
 * was mapped to a response. It never throws and returns undefined, so the
 * metric flush and the trace close still run.
 * @example
 * observed(dispatch).use(httpMetrics({ sink, routeOf })).use(httpErrors(obs));
 */
export function httpMetrics(
  options: HttpMetricsOptions,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const now = options.now ?? (() => performance.now());
  const started = new WeakMap<HttpRequest, number>();
  // A later `after` that throws sends the request through `onError` too.
  const counted = new WeakSet<HttpRequest>();
  const record = async (request: HttpRequest): Promise<void> => {
    if (counted.has(request)) return;
    counted.add(request);
    try {
      const sink = await options.sink();
      if (!sink) return;
      const route = options.routeOf(request.event);
      const status = String(request.response?.statusCode ?? 500);
      sink.count('HttpRequest', 1, { route, status });
      const start = started.get(request);
      if (start !== undefined) {
        sink.timing('HttpLatency', now() - start, { route });
      }
      const metric = request.error ? errorMetricOf(request.error) : null;
      if (metric) sink.count(metric);
    } catch {
      // Counting is best effort: it never changes the response.
    }
  };
  return {
    before: (request) => {
      started.set(request, now());
    },
    after: record,
    onError: record,
  };
}
