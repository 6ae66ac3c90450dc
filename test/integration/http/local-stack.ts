import { routes as authRoutes } from '../../../functions/auth.js';
import { authorizeRequest } from '../../../functions/authorizer.js';
import { routes as healthRoutes } from '../../../functions/health.js';
import { randomIds } from '../../../shared/adapters/ids/random-ids.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import {
  type CreateApiKeyInput,
  createApiKey,
} from '../../../shared/domain/auth/manage-api-keys.js';
import {
  type LocalFunction,
  type LocalServer,
  startLocalServer,
} from '../../../shared/http/local-server.js';
import { httpHandler } from '../../../shared/http/router.js';
import type { RouteDef } from '../../../shared/http/routes.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import { TestClock } from '../../support/test-clock.js';

/** A local stack on loopback: auth + health (+ extra routes) on SQLite. */
export interface TestStack {
  url: string;
  clock: TestClock;
  store: SqliteStore;
  deps: Deps;
  server: LocalServer;
  /** Issues a key straight through the use case (bootstrap). */
  issueKey(input: Partial<CreateApiKeyInput>): Promise<string>;
  close(): Promise<void>;
}

/** Options of `openStack`. */
export interface StackOptions {
  path?: string;
  clock?: TestClock;
  rateLimitPerMinute?: number;
  extraRoutes?: readonly RouteDef[];
  timeoutMs?: number;
}

/** Starts the stack on port 0 (a free port) of 127.0.0.1. */
export async function openStack(opts: StackOptions = {}): Promise<TestStack> {
  const clock = opts.clock ?? new TestClock();
  const store = SqliteStore.open({ path: opts.path ?? ':memory:', clock });
  const base: Pick<Deps, 'store' | 'clock' | 'ids'> = {
    store,
    clock,
    // Random ids: two stacks on one file must not collide on event ids.
    ids: randomIds,
  };
  // Deps may grow fields other routes need; these routes use only these three.
  const deps = base as Deps;
  const handlerOptions = {
    deps: async () => deps,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 1000,
  };
  const fns: LocalFunction[] = [
    { routes: authRoutes, handler: httpHandler(authRoutes, handlerOptions) },
    {
      routes: healthRoutes,
      handler: httpHandler(healthRoutes, handlerOptions),
    },
  ];
  if (opts.extraRoutes) {
    const extra = opts.extraRoutes;
    fns.push({ routes: extra, handler: httpHandler(extra, handlerOptions) });
  }
  const server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    routes: fns,
    authorize: (headers, site) => authorizeRequest(deps, headers, site),
    timeoutMs: opts.timeoutMs ?? 5000,
  });
  return {
    url: server.url,
    clock,
    store,
    deps,
    server,
    issueKey: async (input) =>
      (
        await createApiKey(deps, {
          actor: 'tester',
          role: 'viewer',
          tenantId: 't1',
          ...input,
        })
      ).key,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}

/** A parsed HTTP response. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** Sends one request to the stack (loopback only). */
export async function call(
  stack: Pick<TestStack, 'url'>,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== undefined) headers['x-api-key'] = opts.key;
  let body: string | undefined;
  if (typeof opts.body === 'string') body = opts.body;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    body: body ?? null,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON bodies (204, text) keep `json` empty.
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Asserts the shared error body shape: the fields, no stack. */
export function errorShape(reply: Reply): {
  error: string;
  code: string;
  message: string;
  requestId: string;
} {
  const { error, code, message, requestId } = reply.json;
  if (
    typeof error !== 'string' ||
    typeof code !== 'string' ||
    typeof message !== 'string' ||
    typeof requestId !== 'string' ||
    'stack' in reply.json ||
    reply.text.includes('    at ')
  ) {
    throw new Error(`not an error body: ${reply.text}`);
  }
  if (reply.headers.get('x-request-id') !== requestId) {
    throw new Error('x-request-id header differs from the body requestId');
  }
  return { error, code, message, requestId };
}
