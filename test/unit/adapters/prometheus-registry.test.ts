import { describe, expect, it } from 'vitest';
import {
  PROMETHEUS_CONTENT_TYPE,
  PrometheusRegistry,
} from '../../../shared/adapters/metrics/prometheus-registry.js';

describe('PrometheusRegistry', () => {
  it('renders nothing before the first sample', () => {
    // Act / Assess
    expect(new PrometheusRegistry().render()).toBe('');
    expect(PROMETHEUS_CONTENT_TYPE).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('renders counters and a gauge in text format 0.0.4, labels sorted and escaped', () => {
    // Prepare
    const registry = new PrometheusRegistry();
    // Act
    registry.count('IntentsMerged');
    registry.count('IntentsMerged', 2);
    registry.count('HttpRequest', 1, {
      status: '200',
      route: 'GET /v1/health',
    });
    registry.count('HttpRequest', 1, {
      route: 'GET /v1/health',
      status: '200',
    });
    registry.count('HttpRequest', 1, { route: 'say "hi"\\\n', status: '404' });
    registry.gauge('QueueDepth', 7);
    registry.gauge('QueueDepth', 3);
    // Assess: families in the fixed order, series sorted by labels
    expect(registry.render()).toBe(
      [
        '# HELP converge_intents_merged_total Intents merged by the queue.',
        '# TYPE converge_intents_merged_total counter',
        'converge_intents_merged_total 3',
        '# HELP converge_queue_depth Intents waiting in the branch queue at the last pass.',
        '# TYPE converge_queue_depth gauge',
        'converge_queue_depth 3',
        '# HELP converge_http_requests_total HTTP requests by route and status.',
        '# TYPE converge_http_requests_total counter',
        'converge_http_requests_total{route="GET /v1/health",status="200"} 2',
        'converge_http_requests_total{route="say \\"hi\\"\\\\\\n",status="404"} 1',
        '',
      ].join('\n'),
    );
  });

  it('renders a latency as a cumulative histogram in seconds', () => {
    // Prepare
    const registry = new PrometheusRegistry({ buckets: [0.1, 1] });
    // Act
    registry.timing('HttpLatency', 50, { route: 'GET /v1/health' });
    registry.timing('HttpLatency', 500, { route: 'GET /v1/health' });
    registry.timing('HttpLatency', 2500, { route: 'GET /v1/health' });
    registry.timing('ValidationLatency', 250);
    // Assess
    expect(registry.render()).toBe(
      [
        '# HELP converge_validation_latency_seconds Duration of one validation.',
        '# TYPE converge_validation_latency_seconds histogram',
        'converge_validation_latency_seconds_bucket{le="0.1"} 0',
        'converge_validation_latency_seconds_bucket{le="1"} 1',
        'converge_validation_latency_seconds_bucket{le="+Inf"} 1',
        'converge_validation_latency_seconds_sum 0.25',
        'converge_validation_latency_seconds_count 1',
        '# HELP converge_http_request_duration_seconds HTTP request duration by route.',
        '# TYPE converge_http_request_duration_seconds histogram',
        'converge_http_request_duration_seconds_bucket{route="GET /v1/health",le="0.1"} 1',
        'converge_http_request_duration_seconds_bucket{route="GET /v1/health",le="1"} 2',
        'converge_http_request_duration_seconds_bucket{route="GET /v1/health",le="+Inf"} 3',
        'converge_http_request_duration_seconds_sum{route="GET /v1/health"} 3.05',
        'converge_http_request_duration_seconds_count{route="GET /v1/health"} 3',
        '',
      ].join('\n'),
    );
  });

  it('ignores samples a Prometheus server would reject, without throwing', () => {
    // Prepare
    const registry = new PrometheusRegistry();
    // Act
    registry.count('AuthFailure', -1);
    registry.count('AuthFailure', Number.NaN);
    registry.timing('GitHubApiLatency', Number.POSITIVE_INFINITY);
    registry.count('RateLimited', 1, { 'bad-name': 'x', le: 'y', ok: 'z' });
    // Assess
    expect(registry.render()).toBe(
      [
        '# HELP converge_rate_limited_total Requests answered 429.',
        '# TYPE converge_rate_limited_total counter',
        'converge_rate_limited_total{ok="z"} 1',
        '',
      ].join('\n'),
    );
  });

  it('adds up the counters and histograms of absorbed processes; the newest gauge wins', async () => {
    // Prepare: this process answered one request; a worker merged 2, a
    // second worker (restarted) 3 and set the queue depth last.
    const http = new PrometheusRegistry({ buckets: [0.1, 1] });
    const worker = new PrometheusRegistry({ buckets: [0.1, 1] });
    const restarted = new PrometheusRegistry({ buckets: [0.1, 1] });
    http.count('HttpRequest', 1, { route: 'GET /v1/health', status: '200' });
    http.timing('HttpLatency', 50, { route: 'GET /v1/health' });
    worker.count('IntentsMerged', 2);
    worker.gauge('QueueDepth', 9);
    worker.timing('HttpLatency', 500, { route: 'GET /v1/health' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    restarted.count('IntentsMerged', 3);
    restarted.gauge('QueueDepth', 4);
    // Act: the first worker's last snapshot stays after it is gone
    http.absorb('worker-1', worker.snapshot());
    http.absorb('worker-2', worker.snapshot());
    http.absorb('worker-2', restarted.snapshot());
    // Assess
    const text = http.render();
    expect(text).toContain('converge_intents_merged_total 5\n');
    expect(text).toContain('converge_queue_depth 4\n');
    expect(text).toContain(
      'converge_http_requests_total{route="GET /v1/health",status="200"} 1\n',
    );
    expect(text).toContain(
      'converge_http_request_duration_seconds_bucket{route="GET /v1/health",le="0.1"} 1\n',
    );
    expect(text).toContain(
      'converge_http_request_duration_seconds_count{route="GET /v1/health"} 2\n',
    );
    expect(http.snapshot().map((family) => family.name)).toEqual([
      'HttpRequest',
      'HttpLatency',
    ]);
  });
});
