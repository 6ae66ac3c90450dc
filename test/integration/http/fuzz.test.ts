import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../shared/config/env.js';
import { newIntent } from '../../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import type { RouteDef } from '../../../shared/http/routes.js';
import { LOCAL_FUNCTIONS } from '../../../shared/runtime/local-functions.js';
import { badRequests, type FuzzRequest } from './fuzz-requests.js';
import { call, openStack, type TestStack } from './local-stack.js';

/** Issue: ">= 2,000 generated bad requests over all routes". */
const RUNS = 2000;
const ALL_ROUTES = LOCAL_FUNCTIONS.flatMap((f) => f.routes);
// openStack serves auth and health itself.
const EXTRA_ROUTES = LOCAL_FUNCTIONS.filter(
  (f) => f.name !== 'auth' && f.name !== 'health',
)
  .flatMap((f) => f.routes)
  .filter((r): r is RouteDef => 'handle' in r);

function servedMethods(): Map<string, Set<string>> {
  const served = new Map<string, Set<string>>();
  for (const r of ALL_ROUTES) {
    served.set(r.path, (served.get(r.path) ?? new Set()).add(r.method));
  }
  return served;
}

/** What must not change: the decision export and the non-access events. */
interface Snapshot {
  exported: string;
  events: number;
}

describe('fuzzing every route with bad requests', () => {
  let stack: TestStack;
  let admin = '';
  let viewer = '';
  /** The `key` option of `call` for a request's key kind. */
  const keyOf = (kind: FuzzRequest['key']): { key?: string } => {
    const key = { admin, viewer, bad: 'cvg_not-a-real-key', none: '' }[kind];
    return key === '' ? {} : { key };
  };

  const countEvents = async (): Promise<number> => {
    const { events } = stack.store;
    const access =
      (await events.count({ type: 'access.granted' })) +
      (await events.count({ type: 'access.denied' }));
    return (await events.count()) - access;
  };

  const exportDecisions = async (): Promise<string> => {
    const reply = await call(stack, 'GET', '/v1/export/decisions?fmt=jsonl', {
      key: admin,
    });
    expect(reply.status).toBe(200);
    return reply.text;
  };

  beforeAll(async () => {
    stack = await openStack({
      extraRoutes: EXTRA_ROUTES,
      rateLimitPerMinute: 1_000_000,
    });
    Object.assign(stack.deps, {
      policy: DEFAULT_POLICY_CONFIG,
      env: parseEnv({}),
      // A configured secret: unsigned deliveries must meet the signature check.
      webhookSecret: async () => 'fuzz-webhook-secret',
    });
    admin = await stack.issueKey({
      actor: 'root',
      role: 'admin',
      tenantId: null,
    });
    viewer = await stack.issueKey({ role: 'viewer', tenantId: 't1' });
    await stack.store.intents.create(
      newIntent(
        { id: 'seed-1', source: 'feature/a', tenantId: 't1' },
        stack.clock.nowIso(),
      ),
    );
  });

  afterAll(async () => {
    await stack.close();
  });

  it(`answers ${RUNS} bad requests with 4xx only and changes nothing`, async () => {
    // Prepare: the export appends dataset.exported, so count after it.
    const before: Snapshot = { exported: await exportDecisions(), events: 0 };
    before.events = await countEvents();
    const served = servedMethods();
    const arbitrary = fc.oneof(
      ...ALL_ROUTES.map((r) => badRequests(r, served)),
    );
    const kinds = new Map<string, number>();
    let sent = 0;
    const statuses = new Set<number>();
    // Act
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const reply = await call(stack, req.method, req.path, {
          ...keyOf(req.key),
          headers: req.headers,
          ...(req.body === undefined ? {} : { body: req.body }),
        });
        sent += 1;
        statuses.add(reply.status);
        kinds.set(req.kind, (kinds.get(req.kind) ?? 0) + 1);
        const where = `${req.kind} ${req.method} ${req.path.slice(0, 200)}`;
        expect(
          reply.status,
          `${where} -> ${reply.text.slice(0, 300)}`,
        ).toBeGreaterThanOrEqual(400);
        expect(reply.status, where).toBeLessThan(500);
        expect(reply.text, where).not.toContain('    at ');
      }),
      { numRuns: RUNS },
    );
    // Assess
    const after: Snapshot = { events: await countEvents(), exported: '' };
    after.exported = await exportDecisions();
    expect(sent).toBeGreaterThanOrEqual(RUNS);
    expect(after).toEqual(before);
    expect(before.exported).toContain('seed-1');
    expect([...statuses]).toEqual(
      expect.arrayContaining([400, 401, 403, 404, 413, 415]),
    );
    expect([...kinds.keys()].sort()).toEqual([
      'bad-key',
      'bad-param',
      'bad-query',
      'content-type',
      'huge-string',
      'malformed-json',
      'unknown-field',
      'unsigned-webhook',
      'wrong-method',
      'wrong-root',
      'wrong-type',
    ]);
  }, 120_000);
});
