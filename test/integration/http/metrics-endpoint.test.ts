import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrometheusRegistry } from '../../../shared/adapters/metrics/prometheus-registry.js';
import { call, openStack, type TestStack } from './local-stack.js';

describe('GET /v1/metrics on the local stack', () => {
  let stack: TestStack;
  beforeEach(async () => {
    stack = await openStack();
    // What createDeps wires locally: the registry is the deps' metrics sink.
    stack.deps.metrics = new PrometheusRegistry();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('counts requests by route and status, with no API key needed to scrape', async () => {
    // Prepare
    const viewer = await stack.issueKey({ role: 'viewer' });
    await call(stack, 'GET', '/v1/health');
    await call(stack, 'GET', '/v1/health');
    await call(stack, 'GET', '/v1/auth/whoami', { key: viewer });
    const denied = await call(stack, 'POST', '/v1/auth/keys', {
      key: viewer,
      body: { actor: 'x', role: 'viewer', tenantId: 't1' },
    });
    // Act
    const reply = await call(stack, 'GET', '/v1/metrics');
    // Assess
    expect(denied.status).toBe(403);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    const lines = reply.text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '# TYPE converge_http_requests_total counter',
        'converge_http_requests_total{route="GET /v1/health",status="200"} 2',
        'converge_http_requests_total{route="GET /v1/auth/whoami",status="200"} 1',
        'converge_http_requests_total{route="POST /v1/auth/keys",status="403"} 1',
        'converge_auth_failure_total 1',
        '# TYPE converge_http_request_duration_seconds histogram',
        'converge_http_request_duration_seconds_count{route="GET /v1/health"} 2',
      ]),
    );
  });

  it('is public and exempt from the rate limit', async () => {
    // Prepare
    await stack.close();
    stack = await openStack({ rateLimitPerMinute: 1 });
    stack.deps.metrics = new PrometheusRegistry();
    // Act
    const replies = [];
    for (let i = 0; i < 3; i += 1) {
      replies.push(await call(stack, 'GET', '/v1/metrics'));
    }
    // Assess: the scrape itself is counted from the second one on
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies[2]?.text).toContain(
      'converge_http_requests_total{route="GET /v1/metrics",status="200"} 2',
    );
  });

  it('says where the metrics go when the runtime keeps no registry', async () => {
    // Prepare
    delete stack.deps.metrics;
    // Act
    const reply = await call(stack, 'GET', '/v1/metrics');
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.text).toMatch(
      /^# Converge metrics are published as CloudWatch EMF/,
    );
    expect(
      reply.text.split('\n').every((l) => l === '' || l.startsWith('#')),
    ).toBe(true);
  });
});
