import { describe, expect, it } from 'vitest';
import { routes as authRoutes } from '../../../functions/auth.js';
import { routes as healthRoutes } from '../../../functions/health.js';
import { buildOpenApi } from '../../../shared/http/openapi.js';

describe('buildOpenApi', () => {
  const doc = buildOpenApi([authRoutes, healthRoutes], {
    title: 'Converge',
    version: '1.0.0',
  });

  it('lists every route with its security, role and scope', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/auth/whoami', '/v1/health/ready']),
    );
    expect(doc.paths['/v1/auth/whoami']?.get).toMatchObject({
      security: [{ apiKey: [] }],
      'x-converge-role': 'viewer',
      'x-converge-scope': 'intents.read',
    });
    expect(doc.paths['/v1/health']?.get?.security).toEqual([]);
  });

  it('turns zod schemas into parameters and request bodies', () => {
    const create = doc.paths['/v1/auth/keys']?.post;
    expect(create?.requestBody).toMatchObject({
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['actor', 'role'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(doc.paths['/v1/auth/keys/{keyId}']?.delete?.parameters).toEqual([
      expect.objectContaining({ name: 'keyId', in: 'path', required: true }),
    ]);
    expect(doc.paths['/v1/auth/keys']?.get?.parameters).toEqual([
      expect.objectContaining({
        name: 'tenant_id',
        in: 'query',
        required: false,
      }),
    ]);
  });
});
