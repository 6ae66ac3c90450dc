import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  matchTemplate,
  RouteResolver,
} from '../../../shared/http/route-match.js';
import { parseRouteKey } from '../../../shared/http/routes.js';

describe('matchTemplate', () => {
  it('extracts decoded path parameters', () => {
    const t = compileTemplate('/v1/intents/{id}/events');
    expect(matchTemplate(t, '/v1/intents/o%2Fr%3Apr-1/events')).toEqual({
      id: 'o/r:pr-1',
    });
    expect(matchTemplate(t, '/v1/intents/x')).toBeNull();
    expect(matchTemplate(t, '/v1/intents/x/events/more')).toBeNull();
    expect(matchTemplate(t, '/v1/intents/%E0%A4%A/events')).toBeNull();
  });

  it('supports greedy parameters', () => {
    const t = compileTemplate('/v1/files/{proxy+}');
    expect(matchTemplate(t, '/v1/files/a/b/c')).toEqual({ proxy: 'a/b/c' });
  });
});

describe('RouteResolver', () => {
  const routes = [
    { method: 'GET' as const, path: '/v1/intents/{id}' },
    { method: 'POST' as const, path: '/v1/intents/evaluate' },
    { method: 'DELETE' as const, path: '/v1/intents/{id}' },
  ];
  const resolver = new RouteResolver(routes);

  it('prefers static segments, as API Gateway does', () => {
    const hit = resolver.resolve('POST', '/v1/intents/evaluate');
    expect(hit).toMatchObject({ kind: 'found', route: routes[1] });
    expect(resolver.resolve('GET', '/v1/intents/evaluate')).toEqual({
      kind: 'method_not_allowed',
      allow: ['POST'],
    });
  });

  it('lists the allowed methods and reports unknown paths', () => {
    expect(resolver.resolve('PUT', '/v1/intents/abc')).toEqual({
      kind: 'method_not_allowed',
      allow: ['GET', 'DELETE'],
    });
    expect(resolver.resolve('GET', '/v1/nothing')).toEqual({
      kind: 'not_found',
    });
  });
});

describe('parseRouteKey', () => {
  it('splits a key and rejects malformed ones', () => {
    expect(parseRouteKey('GET /v1/x')).toEqual({
      method: 'GET',
      path: '/v1/x',
    });
    expect(() => parseRouteKey('FETCH /v1/x')).toThrow();
    expect(() => parseRouteKey('GET v1/x')).toThrow();
    expect(() => parseRouteKey('GET /v1/x extra')).toThrow();
  });
});
