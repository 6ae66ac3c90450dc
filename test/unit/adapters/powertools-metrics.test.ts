import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { PowertoolsMetricsSink } from '../../../shared/adapters/metrics/powertools-metrics.js';

describe('PowertoolsMetricsSink', () => {
  it('adds counts, gauges and timings with their units and no extra dimensions', () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'Converge', serviceName: 'test' });
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const addDimension = vi.spyOn(metrics, 'addDimension');
    const sink = new PowertoolsMetricsSink(metrics);
    // Act
    sink.count('HttpRequest', 1, { route: 'GET /v1/health', status: '200' });
    sink.count('IntentsMerged', 2);
    sink.gauge('QueueDepth', 4);
    sink.timing('ValidationLatency', 125);
    sink.timing('HttpLatency', Number.NaN);
    // Assess
    expect(addMetric.mock.calls).toEqual([
      ['HttpRequest', 'Count', 1],
      ['IntentsMerged', 'Count', 2],
      ['QueueDepth', 'Count', 4],
      ['ValidationLatency', 'Milliseconds', 125],
    ]);
    expect(addDimension).not.toHaveBeenCalled();
  });

  it('never throws, whatever Powertools does', () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'Converge', serviceName: 'test' });
    vi.spyOn(metrics, 'addMetric').mockImplementation(() => {
      throw new RangeError('too many metrics');
    });
    // Act / Assess
    expect(() =>
      new PowertoolsMetricsSink(metrics).count('AuthFailure'),
    ).not.toThrow();
  });
});
