import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../shared/http/openapi.js';
import { LOCAL_FUNCTIONS } from '../../../shared/runtime/local-functions.js';

describe('the OpenAPI document of every served route', () => {
  const tables = LOCAL_FUNCTIONS.map((f) => f.routes);
  const doc = buildOpenApi(tables, { title: 'Converge API', version: '1.0.0' });

  it('has one operation per route, all under /v1', () => {
    // Prepare
    const routes = tables.flat();
    // Assess
    for (const route of routes) {
      expect(route.path.startsWith('/v1/')).toBe(true);
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    }
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.keys(item),
    );
    expect(operations).toHaveLength(routes.length);
  });

  it('serves each method and path from exactly one function', () => {
    // Prepare
    const keys = tables.flat().map((r) => `${r.method} ${r.path}`);
    // Assess
    expect(new Set(keys).size).toBe(keys.length);
  });
});
