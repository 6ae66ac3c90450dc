import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import type { Principal } from '../domain/auth/principal.js';
import type { Role } from '../ports/store.js';
import type { Deps } from '../runtime/deps.js';

/** The methods a route may declare. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** One of `HTTP_METHODS`. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What a route callback returns: an API Gateway proxy result. */
export type HttpResponse = APIGatewayProxyResult;

/** `'METHOD /v1/path/{param}'`, as API Gateway names a route. */
export type RouteKey = `${HttpMethod} /${string}`;

/**
 * The declarative part of a route: what the local stack, the OpenAPI
 * generator and the CDK stack read. Each `functions/<domain>.ts` exports its
 * table as `routes`.
 */
export interface RouteInfo {
  method: HttpMethod;
  /** API Gateway resource template, e.g. `/v1/auth/keys/{keyId}`. */
  path: string;
  /** Minimum role; null on public routes. */
  role: Role | null;
  /** Scope the key must hold (see `hasScope`); null when none. */
  scope: string | null;
  /** No API key, no rate limit (health, webhooks, metrics). */
  public: boolean;
  /** The callback gets the raw body; no JSON content-type check or parse. */
  rawBody: boolean;
  /**
   * An operator holding `scope` explicitly is admitted although `role` is
   * higher (policy writes: admin or the `.write` scope, DECISIONS 6).
   */
  scopeGrants: boolean;
  summary: string | null;
  schemas: { path?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
}

/** What a route callback receives, already authorised and validated. */
export interface RouteContext<P, Q, B, Pr> {
  path: P;
  query: Q;
  body: B;
  principal: Pr;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The decoded body as UTF-8 ('' when none). */
  rawBody: string;
  requestId: string;
  event: APIGatewayProxyEvent;
}

/** The route options of `route()`. */
export interface RouteSpec<SP, SQ, SB, Pub extends boolean> {
  path?: SP;
  query?: SQ;
  body?: SB;
  /** Default: viewer for GET, operator otherwise (DECISIONS 6). */
  role?: Role;
  scope?: string;
  public?: Pub;
  rawBody?: boolean;
  scopeGrants?: boolean;
  summary?: string;
}

type Out<S, D> = S extends z.ZodType ? z.output<S> : D;

/** The context a callback of a given spec sees. */
export type ContextOf<SP, SQ, SB, Pub extends boolean> = RouteContext<
  Out<SP, Record<string, string>>,
  Out<SQ, Record<string, string>>,
  Out<SB, undefined>,
  Pub extends true ? null : Principal
>;

/** A route with its callback, as `httpHandler` consumes it. */
export interface RouteDef extends RouteInfo {
  handle(
    ctx: RouteContext<unknown, unknown, unknown, Principal | null>,
    deps: Deps,
  ): Promise<HttpResponse>;
}

/** Splits `'GET /v1/x'` into method and path. @throws Error on a bad key */
export function parseRouteKey(key: string): {
  method: HttpMethod;
  path: string;
} {
  const [method, path, extra] = key.split(' ');
  const known = HTTP_METHODS.find((m) => m === method);
  if (!known || !path?.startsWith('/') || extra !== undefined) {
    throw new Error(`bad route key: ${key}`);
  }
  return { method: known, path };
}

/**
 * Declares one route. The callback gets the zod-parsed `path`, `query` and
 * `body`, and the principal (null on public routes).
 * @example
 * route('GET /v1/intents/{id}', { path: IntentPath, scope: 'intents.read' },
 *   async ({ path, principal }, deps) => ok(await getIntent(deps, principal, path.id)));
 */
export function route<
  SP extends z.ZodType | undefined = undefined,
  SQ extends z.ZodType | undefined = undefined,
  SB extends z.ZodType | undefined = undefined,
  Pub extends boolean = false,
>(
  key: RouteKey,
  spec: RouteSpec<SP, SQ, SB, Pub>,
  fn: (ctx: ContextOf<SP, SQ, SB, Pub>, deps: Deps) => Promise<HttpResponse>,
): RouteDef {
  const { method, path } = parseRouteKey(key);
  const isPublic = spec.public === true;
  const schemas: RouteInfo['schemas'] = {};
  if (spec.path) schemas.path = spec.path;
  if (spec.query) schemas.query = spec.query;
  if (spec.body) schemas.body = spec.body;
  return {
    method,
    path,
    role: isPublic ? null : (spec.role ?? defaultRole(method)),
    scope: spec.scope ?? null,
    public: isPublic,
    rawBody: spec.rawBody === true,
    scopeGrants: spec.scopeGrants === true,
    summary: spec.summary ?? null,
    schemas,
    // The router parses with exactly these schemas, so the narrowing holds.
    handle: (ctx, deps) => fn(ctx as ContextOf<SP, SQ, SB, Pub>, deps),
  };
}

function defaultRole(method: HttpMethod): Role {
  return method === 'GET' ? 'viewer' : 'operator';
}

/** The declarative view of a table (drops the callbacks). */
export function describeRoutes(table: readonly RouteInfo[]): RouteInfo[] {
  return table.map((r) => ({
    method: r.method,
    path: r.path,
    role: r.role,
    scope: r.scope,
    public: r.public,
    rawBody: r.rawBody,
    scopeGrants: r.scopeGrants,
    summary: r.summary,
    schemas: r.schemas,
  }));
}
