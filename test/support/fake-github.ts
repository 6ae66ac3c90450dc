import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeRepo, type Snapshot } from './fake-github-model.js';
import {
  REPO_ROUTES,
  type Reply,
  type RouteContext,
} from './fake-github-routes.js';
import { type GitHubOperation, gitHubOperations } from './github-openapi.js';

export { FakeRepo } from './fake-github-model.js';

/** One request the fake answered (or refused on purpose). */
export interface LoggedRequest {
  method: string;
  /** Decoded path without the query, e.g. `/repos/o/r/git/ref/heads/main`. */
  path: string;
  status: number;
  /** True when a fault switch answered instead of the model. */
  faulted: boolean;
}

/** A fault armed with {@link FakeGitHub.failNext}. */
export interface FaultOptions {
  /** Seconds in `Retry-After` (429 and 503). */
  retryAfter?: number;
  /** Only requests whose `METHOD path` matches count; default all. */
  match?: RegExp;
}

interface Fault extends FaultOptions {
  remaining: number;
  status: number;
}

/**
 * A request that GitHub's OpenAPI description rejects: answered 422
 * `Invalid request.`, or 400 `Problems parsing JSON` for a body that is not
 * JSON.
 */
export interface OpenApiViolation {
  /** `METHOD /template`, e.g. `PATCH /repos/{owner}/{repo}/git/refs/{ref}`. */
  operation: string;
  /** The decoded path that was requested. */
  path: string;
  /** Readable reasons, e.g. `"sha" wasn't supplied.` */
  errors: string[];
}

const TOKEN_OPERATION =
  'POST /app/installations/{installation_id}/access_tokens';

interface BoundRoute {
  op: GitHubOperation;
  /** Null for the installation token endpoint (not repository-scoped). */
  handle: ((ctx: RouteContext) => Reply) | null;
}

/**
 * Every endpoint of the fake, checked against GitHub's OpenAPI description:
 * throws when one is not there with that method (a typo in a route).
 */
function routeTable(): BoundRoute[] {
  const ops = gitHubOperations([
    TOKEN_OPERATION,
    ...REPO_ROUTES.map((r) => r.operation),
  ]);
  return ops.map((op, i) => ({
    op,
    handle: REPO_ROUTES[i - 1]?.handle ?? null,
  }));
}

type Checked =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; reply: Reply };

/** An installation token the fake issued. */
export interface IssuedToken {
  installationId: number;
  token: string;
}

/**
 * A GitHub-compatible HTTP server on 127.0.0.1 for the GitHub adapters'
 * tests: installation tokens (any JWT is accepted), git data, merges,
 * compare, commits, check runs, statuses and branch protection, backed by
 * {@link FakeRepo} models. Fault switches fail the next N requests with
 * 500/503/429, or take the server down (connection refused) and back up.
 *
 * Every route is an operation of GitHub's official OpenAPI description
 * (`@octokit/openapi`; a route that is not there fails {@link start}).
 * Path and query parameters and JSON bodies are validated against it: a
 * request that does not fit is answered 422 `Invalid request.` as GitHub
 * does, and recorded in {@link openApiViolations}, so a test can assert
 * that the adapters sent nothing GitHub would refuse.
 *
 * @example
 * const fake = await FakeGitHub.start();
 * const repo = fake.createRepo('acme/app', { 'a.txt': 'a' });
 * fake.failNext(2, 503);
 * // ... Octokit with baseUrl: fake.baseUrl ...
 * fake.count('POST', /\/check-runs$/);
 * await fake.close();
 */
export class FakeGitHub {
  readonly requests: LoggedRequest[] = [];
  readonly tokens: IssuedToken[] = [];
  /** Requests the OpenAPI description rejects, in arrival order. */
  readonly openApiViolations: OpenApiViolation[] = [];
  readonly #routes: BoundRoute[];
  readonly #repos = new Map<string, FakeRepo>();
  readonly #faults: Fault[] = [];
  readonly #interceptors: { match: RegExp; action: () => void }[] = [];
  readonly #server: Server;
  #port = 0;
  #up = false;

  private constructor(routes: BoundRoute[]) {
    this.#routes = routes;
    this.#server = createServer((req, res) => {
      void this.#handle(req, res);
    });
  }

  /**
   * Starts on a free loopback port. The first start in a process reads
   * GitHub's OpenAPI description (about 0.3 s).
   */
  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub(routeTable());
    await fake.#listen(0);
    return fake;
  }

  /** `http://127.0.0.1:<port>`, for Octokit's `baseUrl`. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** A repository with one commit of `files` on `main`. */
  createRepo(fullName: string, files: Snapshot = { 'README.md': 'hi\n' }) {
    const repo = new FakeRepo(fullName, files);
    this.#repos.set(fullName, repo);
    return repo;
  }

  /** An existing repository. */
  repo(fullName: string): FakeRepo {
    const repo = this.#repos.get(fullName);
    if (!repo) throw new Error(`no fake repo ${fullName}`);
    return repo;
  }

  /**
   * Answers the next `n` matching requests with `status` (Infinity: until
   * cleared): 500/503 `Service Unavailable`, 429 a secondary rate limit
   * (with `Retry-After` when given); other statuses `Forbidden`-like.
   */
  failNext(n: number, status: number, options: FaultOptions = {}) {
    this.#faults.push({ remaining: n, status, ...options });
  }

  /**
   * Runs `action` just before the model answers the next request whose
   * `METHOD path` matches (once), e.g. to move a branch mid-merge.
   */
  beforeNext(match: RegExp, action: () => void): void {
    this.#interceptors.push({ match, action });
  }

  /** Disarms every fault switch. */
  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Requests whose method is `method` and whose path matches. */
  count(method: string, path: RegExp, onlyAnswered = false): number {
    return this.requests.filter(
      (r) =>
        r.method === method &&
        path.test(r.path) &&
        !(onlyAnswered && r.faulted),
    ).length;
  }

  /** Stops listening and drops open connections: clients get ECONNREFUSED. */
  async down(): Promise<void> {
    if (!this.#up) return;
    this.#up = false;
    const closed = new Promise<void>((resolve) =>
      this.#server.close(() => resolve()),
    );
    this.#server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (!this.#up) await this.#listen(this.#port);
  }

  /** Shuts the server for good. */
  async close(): Promise<void> {
    await this.down();
  }

  async #listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#up = true;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = decodeURIComponent(url.pathname);
    const raw = await readBody(req);
    const line = `${method} ${path}`;
    const fault = this.#takeFault(line);
    if (fault === null) this.#intercept(line);
    const reply =
      fault ?? this.#route(method, path, url.searchParams, raw, req);
    this.requests.push({
      method,
      path,
      status: reply.status,
      faulted: fault !== null,
    });
    send(res, reply);
  }

  #intercept(line: string): void {
    const index = this.#interceptors.findIndex((i) => i.match.test(line));
    const [interceptor] =
      index === -1 ? [] : this.#interceptors.splice(index, 1);
    interceptor?.action();
  }

  #takeFault(line: string): Reply | null {
    const fault = this.#faults.find(
      (f) => f.remaining > 0 && (f.match?.test(line) ?? true),
    );
    if (!fault) return null;
    fault.remaining -= 1;
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) {
      headers['retry-after'] = String(fault.retryAfter);
    }
    const message =
      fault.status === 429
        ? 'You have exceeded a secondary rate limit'
        : fault.status >= 500
          ? 'Service Unavailable'
          : 'Resource not accessible by integration';
    return { status: fault.status, body: { message }, headers };
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    raw: string,
    req: IncomingMessage,
  ): Reply {
    const found = this.#match(method, path);
    if (!found) {
      return { status: 404, body: { message: `No route ${method} ${path}` } };
    }
    const { route, params } = found;
    const auth = req.headers.authorization ?? '';
    if (route.handle === null) {
      const checked = this.#check(route.op, path, params, query, raw);
      if (!checked.ok) return checked.reply;
      return this.#issueToken(auth, params.installation_id);
    }
    if (!this.tokens.some((t) => auth === `token ${t.token}`)) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    const repo = this.#repos.get(`${params.owner}/${params.repo}`);
    if (!repo) return { status: 404, body: { message: 'Not Found' } };
    const checked = this.#check(route.op, path, params, query, raw);
    if (!checked.ok) return checked.reply;
    return route.handle({ repo, params, query, body: checked.body });
  }

  #match(method: string, path: string) {
    for (const route of this.#routes) {
      if (route.op.method !== method) continue;
      const params = route.op.match(path);
      if (params) return { route, params };
    }
    return null;
  }

  /** Parses the body and validates the request against the description. */
  #check(
    op: GitHubOperation,
    path: string,
    params: Record<string, string>,
    query: URLSearchParams,
    raw: string,
  ): Checked {
    let body: unknown;
    try {
      body = raw.trim() === '' ? undefined : JSON.parse(raw);
    } catch {
      return this.#reject(op, path, 400, ['Problems parsing JSON']);
    }
    const errors = op.validate({ params, query, body });
    if (errors.length > 0) return this.#reject(op, path, 422, errors);
    const object = typeof body === 'object' && body !== null;
    return { ok: true, body: object ? (body as Record<string, unknown>) : {} };
  }

  /** Records the violation; answers in GitHub's error shape. */
  #reject(
    op: GitHubOperation,
    path: string,
    status: number,
    errors: string[],
  ): Checked {
    const operation = `${op.method} ${op.template}`;
    this.openApiViolations.push({ operation, path, errors });
    const message =
      status === 400
        ? errors.join('\n')
        : `Invalid request.\n\n${errors.join('\n')}`;
    const body = { message, documentation_url: op.documentationUrl };
    return {
      ok: false,
      reply: { status, body: { ...body, status: String(status) } },
    };
  }

  #issueToken(auth: string, id: string | undefined): Reply {
    // Any well-formed JWT passes: the fake checks shape, not signatures.
    if (!/^bearer [\w-]+\.[\w-]+\.[\w-]+$/i.test(auth)) {
      return { status: 401, body: { message: 'A JSON web token is required' } };
    }
    const installationId = Number(id);
    const token = `ghs_fake_${installationId}_${this.tokens.length + 1}`;
    this.tokens.push({ installationId, token });
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    return {
      status: 201,
      body: {
        token,
        expires_at: expiresAt,
        permissions: { checks: 'write', statuses: 'write', contents: 'write' },
        repository_selection: 'all',
      },
    };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}
