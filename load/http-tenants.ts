/**
 * Multi-tenant HTTP reads and writes (issue 9): three tenants, each with its
 * own operator key and its own risk policy, share the local stack (two HTTP
 * processes) under autocannon, 50 connections for BENCH_SECONDS. Requests
 * rotate over the tenants and over five kinds: read an own intent, list own
 * intents, create an intent, read another tenant's intent (must be 403),
 * read the own risk policy (must be the tenant's own thresholds).
 * Then: every 201 of a tenant is listed under that tenant and nowhere else,
 * and one risky change per tenant (created before the load) has been
 * validated by the worker under that tenant's policy: blocked under the
 * strict enforced policy, passed under the shadow and the lenient ones.
 * Run: `npx tsx load/http-tenants.ts`; writes load/results/http-tenants.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon, { type RequestParams } from 'autocannon';
import {
  type StackProcess,
  startStack,
  tempRepo,
  writeResult,
} from './bench-support.js';
import { machine, waitFor } from './chaos-support.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SEEDS = 20;
const CONNECTIONS = 50;
const KINDS = ['read', 'list', 'create', 'cross', 'policy'] as const;
type Kind = (typeof KINDS)[number];

/** Three tenants, three risk policies, and what each does to one change. */
const TENANTS = [
  {
    id: 'acme',
    policy: { mode: 'enforce', enforce_ratio: 1, max_risk_score: 0.5 },
    risky: 'blocked',
  },
  {
    id: 'globex',
    policy: { mode: 'shadow', max_risk_score: 0.5 },
    risky: 'passed',
  },
  {
    id: 'initech',
    policy: {
      mode: 'enforce',
      enforce_ratio: 1,
      max_risk_score: 100,
      max_damage_score: 100,
      max_propagation_score: 100,
    },
    risky: 'passed',
  },
] as const;

type Json = Record<string, unknown>;

/**
 * A repo whose `feature/risky` is a small change (two files of one module)
 * that the policy gates pass and whose risk score is above 0.5.
 */
function riskyRepo(): string {
  const dir = tempRepo();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  git('checkout', '-q', '-b', 'feature/risky');
  mkdirSync(join(dir, 'billing'), { recursive: true });
  writeFileSync(join(dir, 'billing', 'charge.py'), 'def charge(): pass\n');
  writeFileSync(join(dir, 'billing', 'refund.py'), 'def refund(): pass\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'risky');
  git('checkout', '-q', 'main');
  return dir;
}

async function call(
  stack: StackProcess,
  key: string,
  method: string,
  path: string,
  body?: Json,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

/** Keys, policies, seed intents and the risky intent of every tenant. */
async function setUp(stack: StackProcess): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const tenant of TENANTS) {
    const made = await call(stack, stack.key, 'POST', '/v1/auth/keys', {
      actor: `${tenant.id}-bot`,
      role: 'operator',
      tenant_id: tenant.id,
    });
    const key = made.json.key;
    if (made.status !== 201 || typeof key !== 'string')
      throw new Error(`key for ${tenant.id}: ${made.status}`);
    keys.set(tenant.id, key);
    const policy = await call(stack, stack.key, 'POST', '/v1/risk/policy', {
      tenant_id: tenant.id,
      ...tenant.policy,
    });
    if (policy.status >= 300) throw new Error(`policy: ${policy.status}`);
    await call(stack, key, 'POST', '/v1/intents', {
      id: `risky-${tenant.id}`,
      source: 'feature/risky',
      tenant_id: tenant.id,
    });
    for (let n = 0; n < SEEDS; n++) {
      await call(stack, key, 'POST', '/v1/intents', {
        id: `seed-${tenant.id}-${n}`,
        source: 'feature/none',
        tenant_id: tenant.id,
      });
    }
  }
  return keys;
}

interface Tally {
  expected: number;
  unexpected: Record<string, number>;
  created: Record<string, number>;
  fiveXx: number;
}

interface Planned {
  method: string;
  path: string;
  body?: string;
  /** The status the request must get. */
  expect: number;
}

/** The i-th request of the rotation and the status it must get. */
function plan(i: number, keys: Map<string, string>) {
  const tenant = TENANTS[i % 3] ?? TENANTS[0];
  const other = TENANTS[(i + 1) % 3] ?? TENANTS[1];
  const kind: Kind = KINDS[Math.floor(i / 3) % KINDS.length] ?? 'read';
  const headers = {
    'x-api-key': keys.get(tenant.id) ?? '',
    'content-type': 'application/json',
  };
  const seed = `seed-${tenant.id}-${i % SEEDS}`;
  const byKind: Record<Kind, Planned> = {
    read: { method: 'GET', path: `/v1/intents/${seed}`, expect: 200 },
    list: {
      method: 'GET',
      path: `/v1/intents?tenant_id=${tenant.id}&limit=20`,
      expect: 200,
    },
    create: {
      method: 'POST',
      path: '/v1/intents',
      body: JSON.stringify({
        id: `w-${tenant.id}-${process.pid}-${i}`,
        source: 'feature/none',
        tenant_id: tenant.id,
      }),
      expect: 201,
    },
    cross: {
      method: 'GET',
      path: `/v1/intents/seed-${other.id}-0`,
      expect: 403,
    },
    policy: {
      method: 'GET',
      path: `/v1/risk/policy?tenant_id=${tenant.id}`,
      expect: 200,
    },
  };
  return { tenant, kind, headers, ...byKind[kind] };
}

/** Checks one answer against its plan; a policy read must be the tenant's. */
function check(
  tally: Tally,
  planned: ReturnType<typeof plan>,
  status: number,
  body: string,
): void {
  if (status >= 500) tally.fiveXx++;
  let ok = status === planned.expect;
  if (ok && planned.kind === 'policy') {
    const max = (planned.tenant.policy as { max_risk_score: number })
      .max_risk_score;
    ok = body.includes(`"max_risk_score":${max}`);
  }
  if (ok && planned.kind === 'create') {
    const id = planned.tenant.id;
    tally.created[id] = (tally.created[id] ?? 0) + 1;
  }
  if (ok) tally.expected++;
  else {
    const label = `${planned.kind} ${status}`;
    tally.unexpected[label] = (tally.unexpected[label] ?? 0) + 1;
  }
}

async function load(stack: StackProcess, keys: Map<string, string>) {
  const tally: Tally = { expected: 0, unexpected: {}, created: {}, fiveXx: 0 };
  let n = 0;
  const result = await autocannon({
    url: stack.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (request: RequestParams, context: Json) => {
          const planned = plan(n++, keys);
          context.planned = planned;
          const { method, path, headers, body } = planned;
          return { ...request, method, path, headers, body: body ?? '' };
        },
        onResponse: (status: number, body: string, context: Json) =>
          check(
            tally,
            context.planned as ReturnType<typeof plan>,
            status,
            body,
          ),
      },
    ],
  });
  return { result, tally };
}

/** Every intent id listed for `tenant`, with its key (all pages). */
async function listed(stack: StackProcess, key: string, tenant: string) {
  const ids: string[] = [];
  const tenants = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await call(
      stack,
      key,
      'GET',
      `/v1/intents?tenant_id=${tenant}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    const items = (page.json.items ?? []) as Json[];
    for (const item of items) {
      ids.push(String(item.id));
      tenants.add(String(item.tenant_id));
    }
    const next = page.json.next_cursor;
    cursor = typeof next === 'string' ? encodeURIComponent(next) : undefined;
  } while (cursor);
  return { ids, tenants: [...tenants] };
}

/** What the worker decided on each tenant's risky intent (made first). */
async function riskyOutcomes(stack: StackProcess, keys: Map<string, string>) {
  const outcomes: Record<string, string> = {};
  for (const tenant of TENANTS) {
    const key = keys.get(tenant.id) ?? '';
    const id = `risky-${tenant.id}`;
    let decision = 'none';
    await waitFor(async () => {
      const got = await call(stack, key, 'GET', `/v1/intents/${id}`);
      const why = (got.json.why ?? {}) as Json;
      const status = String(got.json.status);
      if (status === 'VALIDATED' || status === 'QUEUED') decision = 'passed';
      else if (why.last_decision === 'intent.requeued') decision = 'blocked';
      else if (status === 'REJECTED') decision = 'blocked';
      return decision !== 'none';
    }, 60_000);
    outcomes[tenant.id] = decision;
  }
  return outcomes;
}

/** Per tenant: its counted 201s against what its own listing holds. */
async function tenantWrites(
  stack: StackProcess,
  keys: Map<string, string>,
  tally: Tally,
) {
  const tenants = [];
  for (const tenant of TENANTS) {
    const own = await listed(stack, keys.get(tenant.id) ?? '', tenant.id);
    const written = own.ids.filter((id) => id.startsWith(`w-${tenant.id}-`));
    const created201 = tally.created[tenant.id] ?? 0;
    tenants.push({
      tenant: tenant.id,
      policy: tenant.policy,
      created201,
      listedWrites: written.length,
      listedTenants: own.tenants,
      // autocannon drops the answers in flight when its time is up: at most
      // one write per connection may be stored without a counted 201.
      ok:
        written.length >= created201 &&
        written.length - created201 <= CONNECTIONS &&
        own.tenants.length === 1 &&
        own.tenants[0] === tenant.id,
    });
  }
  return tenants;
}

async function main(): Promise<void> {
  const stack = await startStack({
    port: 18187,
    repoDir: riskyRepo(),
    env: {
      CONVERGE_HTTP_PROCESSES: process.env.BENCH_HTTP_PROCESSES ?? '2',
      CONVERGE_SKIP_CHECKS: 'true',
      CONVERGE_AUTO_MERGE: 'false',
      CONVERGE_WORKER_INTERVAL_MS: '300',
    },
  });
  try {
    const keys = await setUp(stack);
    const { result, tally } = await load(stack, keys);
    const tenants = await tenantWrites(stack, keys, tally);
    const risky = await riskyOutcomes(stack, keys);
    const writesListed = tenants.every((t) => t.ok);
    const policiesApplied = TENANTS.every((t) => risky[t.id] === t.risky);
    const unexpected = Object.values(tally.unexpected).reduce(
      (a, b) => a + b,
      0,
    );
    const data = {
      benchmark: 'multi-tenant HTTP reads and writes',
      connections: CONNECTIONS,
      seconds: SECONDS,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p99Ms: result.latency.p99,
      expected: tally.expected,
      unexpected: tally.unexpected,
      fiveXx: tally.fiveXx,
      networkErrors: result.errors,
      tenants,
      risky,
      writesListed,
      policiesApplied,
      pass:
        tally.fiveXx === 0 &&
        unexpected === 0 &&
        result.errors === 0 &&
        writesListed &&
        policiesApplied,
      machine: machine(),
      at: new Date().toISOString(),
    };
    writeResult('http-tenants', data);
    console.log(JSON.stringify(data, null, 2));
    if (!data.pass) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
