/**
 * Malformed input (KPIS.md): FUZZ_REQUESTS (default 10,000) generated bad
 * requests spread over every route of every functions/*.ts `routes` table
 * (load/fuzz-cases.ts: missing or bad keys, wrong methods, unknown and
 * traversal paths, bad path parameters, bad JSON, wrong types, unknown
 * fields, huge strings, missing and wrong content types, bad queries, bad
 * webhook headers and signatures, oversize bodies), 16 in flight, seeded.
 * Target: only 4xx (no 5xx, no 2xx), the stack still alive, and no state
 * change: intents, non-audit events, API keys, policies, outbox, claims
 * and locks are identical before and after. `access.denied` /
 * `access.granted` are excluded: they are the access audit trail, written
 * by design for every refused key (401) and every admitted non-GET call
 * before its input is validated, so they grow with any traffic.
 * Run: `npx tsx load/fuzz-input.ts`; writes load/results/fuzz-input.json.
 */
import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import type { RouteInfo } from '../shared/http/routes.js';
import {
  ROOT,
  type StackProcess,
  startStack,
  writeResult,
} from './bench-support.js';
import {
  countOf,
  digestLines,
  machine,
  pool,
  readDb,
  seeded,
  webhookSecretFile,
} from './chaos-support.js';
import { type FuzzRequest, generate } from './fuzz-cases.js';

const COUNT = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const CONCURRENCY = 16;
const PORT = 18187;
const AUDIT = ['access.denied', 'access.granted'];

/** Every `routes` table exported by functions/*.ts. */
async function loadRoutes(): Promise<RouteInfo[]> {
  const dir = join(ROOT, 'functions');
  const routes: RouteInfo[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(join(dir, file))) as { routes?: unknown };
    if (Array.isArray(mod.routes)) routes.push(...(mod.routes as RouteInfo[]));
  }
  return routes.sort((a, b) =>
    `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`),
  );
}

function methodsByPath(routes: RouteInfo[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const r of routes) {
    map.set(r.path, (map.get(r.path) ?? new Set()).add(r.method));
  }
  return map;
}

const TABLES = [
  'SELECT * FROM intents ORDER BY id',
  'SELECT * FROM api_keys ORDER BY key_hash',
  'SELECT * FROM risk_policies ORDER BY tenant_id',
  'SELECT * FROM agent_policies ORDER BY agent_id, tenant_id',
  'SELECT * FROM compliance_thresholds ORDER BY tenant_id',
  'SELECT * FROM outbox ORDER BY id',
  'SELECT * FROM webhook_deliveries ORDER BY delivery_id',
  'SELECT * FROM queue_locks ORDER BY lock_name',
];

/** The state the fuzz must not change, read from the SQLite file. */
function snapshot(dbPath: string) {
  return readDb(dbPath, (db) => {
    const rows = (sql: string) =>
      (db.prepare(sql).all() as unknown[]).map((r) => JSON.stringify(r));
    const marks = AUDIT.map(() => '?').join(', ');
    const events = db
      .prepare(`SELECT id FROM events WHERE event_type NOT IN (${marks})`)
      .all(...AUDIT) as { id: string }[];
    return {
      intents: countOf(db, 'SELECT count(*) AS n FROM intents'),
      stateDigest: digestLines(TABLES.flatMap(rows)),
      events: events.length,
      eventsDigest: digestLines(events.map((e) => e.id)),
      auditEvents: Object.fromEntries(
        AUDIT.map((t) => [
          t,
          countOf(
            db,
            'SELECT count(*) AS n FROM events WHERE event_type = ?',
            t,
          ),
        ]),
      ),
    };
  });
}

function send(agent: Agent, req: FuzzRequest): Promise<number> {
  return new Promise((resolve) => {
    const out = request(
      {
        host: '127.0.0.1',
        port: PORT,
        method: req.method,
        path: req.path,
        // GET bodies are not chunked by default: frame every body.
        headers:
          req.body === undefined
            ? req.headers
            : {
                ...req.headers,
                'content-length': String(Buffer.byteLength(req.body)),
              },
        agent,
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    out.on('timeout', () => out.destroy(new Error('timeout')));
    out.on('error', () => resolve(0));
    out.end(req.body);
  });
}

async function seedState(stack: StackProcess): Promise<void> {
  for (let i = 1; i <= 3; i++) {
    const res = await fetch(`${stack.url}/v1/intents`, {
      method: 'POST',
      headers: { 'x-api-key': stack.key, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `fuzz-seed-${i}`, source: `feature/${i}` }),
    });
    if (res.status !== 201) throw new Error(`seed: ${res.status}`);
  }
}

function tally(requests: FuzzRequest[], statuses: number[]) {
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  const unexpected: object[] = [];
  statuses.forEach((status, i) => {
    const req = requests[i];
    if (!req) return;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    const kind = byKind[req.kind] ?? {};
    byKind[req.kind] = kind;
    kind[status] = (kind[status] ?? 0) + 1;
    if (status >= 400 && status < 500) return;
    unexpected.push({
      status,
      kind: req.kind,
      route: req.route,
      request: `${req.method} ${req.path.slice(0, 160)}`,
    });
  });
  return { byStatus, byKind, unexpected };
}

async function main(): Promise<void> {
  const { secret, file } = webhookSecretFile();
  const stack = await startStack({
    port: PORT,
    env: {
      CONVERGE_GITHUB_WEBHOOK_SECRET_FILE: file,
      CONVERGE_WORKER_INTERVAL_MS: '3600000',
    },
  });
  const routes = await loadRoutes();
  const sign = (body: string) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const ctx = { key: stack.key, methods: methodsByPath(routes), sign };
  const requests = generate(routes, ctx, COUNT, seeded(SEED));
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let before: ReturnType<typeof snapshot>;
  let after: ReturnType<typeof snapshot>;
  let statuses: number[];
  let alive = false;
  const started = performance.now();
  try {
    await seedState(stack);
    before = snapshot(stack.dbPath);
    const indexed = requests.map((r, i) => async () => [
      i,
      await send(agent, r),
    ]);
    const done = await pool(indexed, CONCURRENCY);
    statuses = [];
    for (const [i, status] of done) statuses[i ?? 0] = status ?? 0;
    after = snapshot(stack.dbPath);
    alive = (await fetch(`${stack.url}/v1/health/live`)).status === 200;
  } finally {
    agent.destroy();
    await stack.stop('SIGTERM');
  }
  report(routes, requests, statuses, before, after, alive, started);
}

function report(
  routes: RouteInfo[],
  requests: FuzzRequest[],
  statuses: number[],
  before: ReturnType<typeof snapshot>,
  after: ReturnType<typeof snapshot>,
  alive: boolean,
  started: number,
): void {
  const t = tally(requests, statuses);
  const count = (p: (s: number) => boolean) => statuses.filter(p).length;
  const unchanged =
    before.stateDigest === after.stateDigest &&
    before.eventsDigest === after.eventsDigest;
  const data = {
    scenario: 'generated malformed requests over every route',
    requests: requests.length,
    routes: routes.length,
    concurrency: CONCURRENCY,
    seed: SEED,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    fourXx: count((s) => s >= 400 && s < 500),
    fiveXx: count((s) => s >= 500),
    twoXxOr3xx: count((s) => s >= 200 && s < 400),
    networkErrors: count((s) => s === 0),
    byStatus: t.byStatus,
    byKind: t.byKind,
    unexpected: t.unexpected.slice(0, 30),
    stackAliveAfter: alive,
    stateBefore: before,
    stateAfter: after,
    stateUnchanged: unchanged,
    excludedFromDigest: AUDIT,
    pass: t.unexpected.length === 0 && unchanged && alive,
    machine: machine(),
    at: new Date().toISOString(),
  };
  writeResult('fuzz-input', data);
  console.log(JSON.stringify({ ...data, byKind: undefined }, null, 2));
  if (!data.pass) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
