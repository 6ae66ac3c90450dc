import * as z from 'zod';
import type { RouteInfo } from './routes.js';

type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document (the parts we generate). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    securitySchemes: Record<string, JsonSchema>;
    schemas: Record<string, JsonSchema>;
  };
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'code', 'message', 'requestId'],
  properties: {
    error: { type: 'string' },
    code: { type: 'string' },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
    requestId: { type: 'string' },
  },
};

const ERROR_RESPONSE = {
  description: 'Error',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _draft, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function parameters(
  where: 'path' | 'query',
  schema: z.ZodType | undefined,
  template: string,
): JsonSchema[] {
  if (!schema) {
    if (where === 'query') return [];
    const names = [...template.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)];
    return names.map(([, name]) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
  }
  const json = jsonSchema(schema, 'input');
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

/** `GET /v1/auth/keys/{keyId}` -> `getV1AuthKeysKeyId`. */
function operationId(route: RouteInfo): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const camel = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${route.method.toLowerCase()}${camel.join('')}`;
}

function operation(route: RouteInfo): JsonSchema {
  const op: JsonSchema = {
    operationId: operationId(route),
    summary: route.summary ?? `${route.method} ${route.path}`,
    security: route.public ? [] : [{ apiKey: [] }],
    'x-converge-role': route.role,
    'x-converge-scope': route.scope,
    parameters: [
      ...parameters('path', route.schemas.path, route.path),
      ...parameters('query', route.schemas.query, route.path),
    ],
    responses: {
      '2XX': { description: 'Success' },
      default: ERROR_RESPONSE,
    },
  };
  if (route.schemas.body) {
    op.requestBody = {
      required: true,
      content: {
        'application/json': {
          schema: jsonSchema(route.schemas.body, 'input'),
        },
      },
    };
  }
  return op;
}

/**
 * Builds the OpenAPI 3.1 document of the route tables: one operation per
 * route, zod schemas as JSON Schema (`z.toJSONSchema`), the API key scheme
 * on every non-public route, the role and scope as `x-converge-*`
 * extensions, and the shared error body.
 * @example
 * const doc = buildOpenApi([auth.routes, health.routes], { title: 'Converge', version: '1.0.0' });
 */
export function buildOpenApi(
  tables: ReadonlyArray<readonly RouteInfo[]>,
  info: OpenApiDocument['info'],
  servers: Array<{ url: string }> = [],
): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const all = tables.flat().sort((a, b) => a.path.localeCompare(b.path));
  for (const route of all) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    info,
    ...(servers.length > 0 ? { servers } : {}),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}
