/**
 * Malformed-request generators for load/fuzz-input.ts. Every generator
 * breaks the route's contract for sure (a missing or bad key, a method or
 * path that does not exist, a body or query the strict zod schema must
 * refuse, a wrong content type, an oversize body, a bad webhook signature),
 * so any 2xx is a finding, never an accident of the generator. Field types
 * come from the routes' own zod schemas (shapes, max lengths, coercion).
 */
import type { RouteInfo } from '../shared/http/routes.js';
import {
  BAD_JSON,
  BAD_KEYS,
  BAD_PARAMS,
  type Field,
  fieldsOf,
  type Gen,
  hugeFieldBody,
  makeGen,
  queryMutation,
  type Rng,
  UNKNOWN_PATHS,
  wrongTypeBody,
  wrongTypeRoot,
} from './fuzz-values.js';

export type { Rng } from './fuzz-values.js';

/** One generated request. */
export interface FuzzRequest {
  /** `METHOD /template` of the route it was generated from. */
  route: string;
  kind: string;
  method: string;
  /** Raw path and query, sent as is. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** What the generators know about the stack. */
export interface FuzzContext {
  key: string;
  /** Methods served per path template. */
  methods: Map<string, Set<string>>;
  /** Signs a webhook body with the stack's secret. */
  sign(body: string): string;
}

interface Mutation {
  kind: string;
  weight: number;
  applies(route: RouteInfo): boolean;
  make(route: RouteInfo, ctx: FuzzContext, gen: Gen): Partial<FuzzRequest>;
}

const WEBHOOK = '/v1/integrations/github/webhook';
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  'application/jsonp',
];

const hasBody = (r: RouteInfo) => r.schemas.body !== undefined;
const isWebhook = (r: RouteInfo) => r.path === WEBHOOK;
const json = { 'content-type': 'application/json' };

/** The template with each `{param}` set to `value` (URL-encoded by caller). */
function fill(template: string, value: (name: string) => string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\+?\}/g, (_, name: string) =>
    value(name),
  );
}

/** A path that exists, naming resources that do not. */
const missingPath = (r: RouteInfo, gen: Gen) =>
  fill(r.path, (name) => `fuzz-missing-${name}-${gen.int(1_000_000)}`);

const webhookHeaders = (gen: Gen) => ({
  ...json,
  'x-github-event': 'pull_request',
  'x-github-delivery': `fuzz-${gen.int(1_000_000_000)}`,
});

const MUTATIONS: Mutation[] = [
  {
    kind: 'no-api-key',
    weight: 1,
    applies: (r) => !r.public,
    make: (r, _c, gen) => ({ path: missingPath(r, gen), headers: {} }),
  },
  {
    kind: 'bad-api-key',
    weight: 1,
    applies: (r) => !r.public,
    make: (r, _c, gen) => ({
      path: missingPath(r, gen),
      headers: { 'x-api-key': gen.pick(BAD_KEYS) },
    }),
  },
  {
    kind: 'wrong-method',
    weight: 1,
    applies: () => true,
    make: (r, ctx, gen) => {
      const served = ctx.methods.get(r.path) ?? new Set<string>();
      const others = HTTP_METHODS.filter((m) => !served.has(m));
      return { method: gen.pick(others), path: missingPath(r, gen) };
    },
  },
  {
    kind: 'unknown-path',
    weight: 1,
    applies: () => true,
    make: (r, _c, gen) => ({
      path: gen.bool()
        ? `${missingPath(r, gen)}${gen.pick(UNKNOWN_PATHS.suffixes)}`
        : gen.pick(UNKNOWN_PATHS.absolute),
    }),
  },
  {
    kind: 'bad-path-param',
    weight: 1,
    applies: (r) => r.path.includes('{'),
    make: (r, _c, gen) => ({
      path: fill(r.path, () => gen.pick(BAD_PARAMS)),
      body: hasBody(r) ? '{}' : undefined,
    }),
  },
  {
    kind: 'bad-json',
    weight: 1,
    applies: (r) => hasBody(r) || isWebhook(r),
    make: (r, ctx, gen) => {
      const body = gen.pick(BAD_JSON);
      if (!isWebhook(r)) return { body };
      const signature = gen.bool() ? ctx.sign(body) : 'sha256=00';
      const headers = { ...webhookHeaders(gen) };
      return {
        body,
        headers: { ...headers, 'x-hub-signature-256': signature },
      };
    },
  },
  {
    kind: 'wrong-types',
    weight: 1,
    applies: hasBody,
    make: (r, _c, gen) => ({
      body: gen.bool() ? wrongTypeRoot(gen) : wrongTypeBody(body(r), gen),
    }),
  },
  {
    kind: 'unknown-fields',
    weight: 1,
    applies: hasBody,
    make: (_r, _c, gen) => ({
      body: gen.pick([
        '{"fuzz_unknown":1}',
        '{"__proto__":{"role":"admin"}}',
        '{"constructor":{"prototype":{"role":"admin"}}}',
        `{"${'k'.repeat(500)}":true}`,
      ]),
    }),
  },
  {
    kind: 'huge-string',
    weight: 1,
    applies: (r) => hasBody(r) || r.schemas.query !== undefined,
    make: (r, _c, gen) =>
      hasBody(r)
        ? { body: hugeFieldBody(body(r), gen) }
        : { path: `${missingPath(r, gen)}?${queryMutation(r, gen, 'huge')}` },
  },
  {
    kind: 'missing-content-type',
    weight: 1,
    applies: hasBody,
    make: () => ({ body: '{"fuzz":1}', headers: { 'x-fuzz': 'no-ct' } }),
  },
  {
    kind: 'wrong-content-type',
    weight: 1,
    applies: hasBody,
    make: (_r, _c, gen) => ({
      body: '{}',
      headers: { 'content-type': gen.pick(CONTENT_TYPES) },
    }),
  },
  {
    kind: 'bad-query',
    weight: 1,
    applies: (r) => r.schemas.query !== undefined,
    make: (r, _c, gen) => ({
      path: `${missingPath(r, gen)}?${queryMutation(r, gen, 'any')}`,
    }),
  },
  {
    kind: 'webhook-headers',
    weight: 3,
    applies: isWebhook,
    make: (_r, ctx, gen) => webhookHeaderCase(ctx, gen),
  },
  {
    kind: 'oversize-body',
    weight: 0.04,
    applies: () => true,
    make: (_r, _c, gen) => ({
      body: Buffer.alloc(gen.int(4) === 0 ? 6_500_000 : 1_048_700, 0x61),
    }),
  },
];

function body(r: RouteInfo): Field[] {
  return fieldsOf(r.schemas.body) ?? [];
}

function webhookHeaderCase(ctx: FuzzContext, gen: Gen) {
  const body = '{"action":"opened","number":1}';
  const good = {
    ...webhookHeaders(gen),
    'x-hub-signature-256': ctx.sign(body),
  };
  const broken: Record<string, string>[] = [
    { ...good, 'x-hub-signature-256': ctx.sign(`${body} `) },
    { ...good, 'x-hub-signature-256': 'sha1=deadbeef' },
    { ...good, 'x-github-event': 'Pull Request!' },
    { ...good, 'x-github-delivery': '../../etc/passwd' },
    { ...good, 'x-github-delivery': 'd'.repeat(200) },
    Object.fromEntries(
      Object.entries(good).filter(([k]) => k !== 'x-hub-signature-256'),
    ),
    Object.fromEntries(
      Object.entries(good).filter(([k]) => k !== 'x-github-event'),
    ),
  ];
  return { body, headers: gen.pick(broken) };
}

/** The routes and, per request, a mutation that applies to its route. */
export function generate(
  routes: readonly RouteInfo[],
  ctx: FuzzContext,
  count: number,
  rng: Rng,
): FuzzRequest[] {
  const gen = makeGen(rng);
  const out: FuzzRequest[] = [];
  for (let i = 0; i < count; i++) {
    const route = routes[i % routes.length] ?? routes[0];
    if (!route) break;
    const mutation = gen.weighted(MUTATIONS.filter((m) => m.applies(route)));
    const made = mutation.make(route, ctx, gen);
    const keyless = mutation.kind === 'no-api-key';
    const auth: Record<string, string> =
      route.public || keyless ? {} : { 'x-api-key': ctx.key };
    const base = hasBody(route) ? json : {};
    out.push({
      route: `${route.method} ${route.path}`,
      kind: mutation.kind,
      method: made.method ?? route.method,
      path: made.path ?? missingPath(route, gen),
      headers: { ...(made.headers ? {} : base), ...auth, ...made.headers },
      ...(made.body === undefined ? {} : { body: made.body }),
    });
  }
  return out;
}
