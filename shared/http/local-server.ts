import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { TransientError } from '../domain/errors.js';
import {
  createLambdaContext,
  toApiGatewayEvent,
  writeApiGatewayResult,
} from './api-gateway-event.js';
import type { AuthorizerContext } from './authorizer-context.js';
import { type ErrorBody, mapError } from './http-errors.js';
import {
  type Authorize,
  invokeWithTimeout,
  readBody,
  runAuthorizer,
  TIMED_OUT,
} from './local-invoke.js';
import { RouteResolver } from './route-match.js';
import type { HttpLambdaHandler } from './router.js';
import type { RouteInfo } from './routes.js';
import { serveStatic } from './static-assets.js';

/** One function of the local stack: its route table and its handler. */
export interface LocalFunction {
  routes: readonly RouteInfo[];
  handler: HttpLambdaHandler;
  /** Shown as the Lambda function name (default `converge-local`). */
  name?: string;
}

/** Options of `startLocalServer`. */
export interface LocalServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: the local stack listens on loopback only. */
  host?: string;
  routes: readonly LocalFunction[];
  /**
   * The authorizer code path for non-public routes: the context on success,
   * null (or a thrown UnauthorizedError / `Error('Unauthorized')`) for 401.
   * @example (headers, site) => authorizeRequest(deps, headers, site)
   */
  authorize: Authorize;
  /** Per-invocation timeout, as the Lambda timeout (default 30 s) -> 504. */
  timeoutMs?: number;
  /** Largest body passed on (default 6 MiB, the Lambda payload limit). */
  maxBodyBytes?: number;
  /** Serves `GET /` and `/web/*` from this directory before the routes. */
  staticDir?: string;
}

/** A running local server. */
export interface LocalServer {
  url: string;
  port: number;
  /** Requests received and not answered yet. */
  inFlight(): number;
  /**
   * True while requests are in hand or one arrived within `windowMs`
   * (default 50): on a loop that answers most requests within the turn
   * that read them, in-flight alone is 0 between turns even under a flood.
   */
  busy(windowMs?: number): boolean;
  close(): Promise<void>;
}

interface Target extends RouteInfo {
  fn: LocalFunction;
}

function sendError(
  res: ServerResponse,
  status: number,
  body: ErrorBody,
  headers: Record<string, string> = {},
): void {
  const result = { statusCode: status, body: JSON.stringify(body) };
  writeApiGatewayResult(res, result, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    ...framing(result, body.requestId),
  });
}

async function invoke(
  target: Target,
  req: IncomingMessage,
  body: Buffer,
  ctx: {
    requestId: string;
    timeoutMs: number;
    pathParameters: Record<string, string>;
    authorizer: AuthorizerContext | null;
  },
): Promise<APIGatewayProxyResult | typeof TIMED_OUT> {
  const event = toApiGatewayEvent(req, body, {
    resource: target.path,
    pathParameters: ctx.pathParameters,
    requestId: ctx.requestId,
    authorizer: ctx.authorizer
      ? { ...ctx.authorizer, principalId: ctx.authorizer.actor }
      : null,
  });
  const context = createLambdaContext({
    functionName: target.fn.name ?? 'converge-local',
    requestId: ctx.requestId,
    timeoutMs: ctx.timeoutMs,
  });
  return invokeWithTimeout(target.fn.handler, event, context, ctx.timeoutMs);
}

function errorBody(
  requestId: string,
  error: string,
  code: string,
  message: string,
): ErrorBody {
  return { error, code, message, requestId };
}

interface ServerState {
  resolver: RouteResolver<Target>;
  authorize: LocalServerOptions['authorize'];
  timeoutMs: number;
  maxBody: number;
  staticDir: string | undefined;
}

function rejectUnrouted(
  res: ServerResponse,
  requestId: string,
  method: string,
  path: string,
  allow: string[] | null,
): void {
  if (allow === null) {
    const msg = `No route for ${method} ${path}`;
    sendError(
      res,
      404,
      errorBody(requestId, 'NotFoundError', 'not_found', msg),
    );
    return;
  }
  const msg = `Method ${method} not allowed on ${path}`;
  const body = errorBody(
    requestId,
    'MethodNotAllowedError',
    'method_not_allowed',
    msg,
  );
  sendError(res, 405, body, { allow: allow.join(', ') });
}

async function handleRequest(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  if (state.staticDir && (await serveStatic(req, res, state.staticDir))) return;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const match = state.resolver.resolve(method, url.pathname);
  if (match.kind !== 'found') {
    req.resume();
    const allow = match.kind === 'method_not_allowed' ? match.allow : null;
    return rejectUnrouted(res, requestId, method, url.pathname, allow);
  }
  const body = await readBody(req, state.maxBody);
  if (body === null) {
    const msg = `Request body exceeds ${state.maxBody} bytes`;
    return sendError(
      res,
      413,
      errorBody(requestId, 'PayloadTooLargeError', 'payload_too_large', msg),
    );
  }
  const site = {
    method,
    path: match.route.path,
    requestId,
    sourceIp: req.socket.remoteAddress ?? null,
  };
  const authorizer = match.route.public
    ? null
    : await runAuthorizer(state.authorize, req.headers, site);
  if (!match.route.public && authorizer === null) {
    return sendError(
      res,
      401,
      errorBody(requestId, 'UnauthorizedError', 'unauthorized', 'Unauthorized'),
    );
  }
  const result = await invoke(match.route, req, body, {
    requestId,
    timeoutMs: state.timeoutMs,
    pathParameters: match.pathParameters,
    authorizer,
  });
  if (result === TIMED_OUT) {
    const msg = 'Endpoint request timed out';
    return sendError(
      res,
      504,
      errorBody(requestId, 'GatewayTimeoutError', 'timeout', msg),
    );
  }
  writeApiGatewayResult(res, result, framing(result, requestId));
}

/**
 * `x-request-id`, and the body's length as API Gateway sends it (so Node
 * does not fall back to chunked encoding); none for bodiless statuses.
 */
function framing(
  result: APIGatewayProxyResult,
  requestId: string,
): Record<string, string> {
  const status = result.statusCode;
  if (status < 200 || status === 204 || status === 304) {
    return { 'x-request-id': requestId };
  }
  const body = result.body ?? '';
  const length = result.isBase64Encoded
    ? Buffer.from(body, 'base64').length
    : Buffer.byteLength(body, 'utf8');
  return { 'x-request-id': requestId, 'content-length': String(length) };
}

/**
 * Starts the local stack's HTTP server: resolves the route template from
 * the route tables (404 unknown path, 405 known path with another method),
 * runs the authorizer for non-public routes (401 as API Gateway would),
 * builds the API Gateway v1 proxy event, invokes the handler with a timeout
 * (504), and writes the result. A handler that throws is a 502, as API
 * Gateway reports a failed Lambda.
 * @example
 * const server = await startLocalServer({ port: 0, routes: [auth, health],
 *   authorize: (h) => authorizeRequest(deps, h) });
 * await fetch(`${server.url}/v1/health`);
 * await server.close();
 */
export async function startLocalServer(
  options: LocalServerOptions,
): Promise<LocalServer> {
  const targets: Target[] = options.routes.flatMap((fn) =>
    fn.routes.map((r) => ({ ...r, fn })),
  );
  const state: ServerState = {
    resolver: new RouteResolver(targets),
    authorize: options.authorize,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxBody: options.maxBodyBytes ?? 6 * 1024 * 1024,
    staticDir: options.staticDir,
  };
  let inFlight = 0;
  let lastRequestAt = Number.NEGATIVE_INFINITY;
  const server = createServer((req, res) => {
    inFlight += 1;
    lastRequestAt = performance.now();
    res.once('close', () => {
      inFlight -= 1;
    });
    const requestId = randomUUID();
    handleRequest(state, req, res, requestId).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A known failure of the authorizer's own dependencies (the store
      // throttling) keeps its meaning: 503 with Retry-After, not a 502.
      if (error instanceof TransientError) {
        writeApiGatewayResult(res, mapError(error, requestId).response, {});
        return;
      }
      const body = errorBody(
        requestId,
        'BadGatewayError',
        'bad_gateway',
        'Internal server error',
      );
      sendError(res, 502, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    inFlight: () => inFlight,
    busy: (windowMs = 50) =>
      inFlight > 0 || performance.now() - lastRequestAt < windowMs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
