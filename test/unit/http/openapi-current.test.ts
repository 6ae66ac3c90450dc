import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildConvergeOpenApi } from '../../../functions/openapi.js';
import { LOCAL_FUNCTIONS } from '../../../shared/runtime/local-functions.js';

const committedPath = new URL('../../../docs/openapi.json', import.meta.url);

describe('docs/openapi.json', () => {
  it('is the document bin/openapi.ts generates (else: run npm run openapi)', () => {
    // Prepare
    const generated = `${JSON.stringify(buildConvergeOpenApi(), null, 2)}\n`;
    // Act
    const committed = readFileSync(committedPath, 'utf8');
    // Assess
    expect(
      committed === generated,
      'docs/openapi.json is stale: run npm run openapi',
    ).toBe(true);
  });

  it('covers every route the local stack serves, GET /v1/openapi.json included', () => {
    // Prepare
    const doc = buildConvergeOpenApi();
    const routes = LOCAL_FUNCTIONS.flatMap((f) => f.routes);
    // Assess
    for (const r of routes) {
      expect(
        doc.paths[r.path]?.[r.method.toLowerCase()],
        `${r.method} ${r.path} is missing: run npm run openapi`,
      ).toBeDefined();
    }
    expect(doc.paths['/v1/openapi.json']?.get?.security).toEqual([]);
  });
});
