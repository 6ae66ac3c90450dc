import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeRequest } from '../../../functions/authorizer.js';
import { routes as dashboardRoutes } from '../../../functions/dashboard.js';
import { routes as intentRoutes } from '../../../functions/intents.js';
import { routes as queueRoutes } from '../../../functions/queue.js';
import { randomIds } from '../../../shared/adapters/ids/random-ids.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { parseEnv } from '../../../shared/config/env.js';
import { createApiKey } from '../../../shared/domain/auth/manage-api-keys.js';
import { buildEvent, type EventType } from '../../../shared/domain/event.js';
import {
  type Intent,
  type JsonObject,
  newIntent,
} from '../../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import {
  type LocalFunction,
  type LocalServer,
  startLocalServer,
} from '../../../shared/http/local-server.js';
import { httpHandler } from '../../../shared/http/router.js';
import type { RouteDef } from '../../../shared/http/routes.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import { TestClock } from '../../support/test-clock.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));
const SCREENSHOT = fileURLToPath(
  new URL('../../../docs/dashboard.png', import.meta.url),
);
const BLOCKED_REASON =
  'Required check lint failed: run `npm run lint`, fix the errors and push';

interface Stack {
  server: LocalServer;
  store: SqliteStore;
  clock: TestClock;
  key: string;
}

/** Dashboard, queue and intent routes plus the static page, on SQLite. */
async function openDashboardStack(): Promise<Stack> {
  // A fixed instant: every seeded event lands inside the 24 h and 30 d windows.
  const clock = new TestClock('2030-03-01T08:00:00.000Z');
  const store = SqliteStore.open({ path: ':memory:', clock });
  const deps = {
    store,
    clock,
    ids: randomIds,
    policy: DEFAULT_POLICY_CONFIG,
    env: parseEnv({}),
  } as unknown as Deps;
  const options = { deps: async () => deps, rateLimitPerMinute: 10_000 };
  const fn = (name: string, routes: readonly RouteDef[]): LocalFunction => ({
    name,
    routes,
    handler: httpHandler(routes, options),
  });
  const server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    routes: [
      fn('dashboard', dashboardRoutes),
      fn('queue', queueRoutes),
      fn('intents', intentRoutes),
    ],
    authorize: (headers, site) => authorizeRequest(deps, headers, site),
    timeoutMs: 10_000,
    staticDir: WEB_DIR,
  });
  const { key } = await createApiKey(deps, {
    actor: 'dashboard-viewer',
    role: 'admin',
    tenantId: null,
  });
  return { server, store, clock, key };
}

function event(
  stack: Stack,
  type: EventType,
  payload: JsonObject,
  intentId?: string,
) {
  stack.clock.advance(60_000);
  return buildEvent(
    { type, payload, ...(intentId ? { intentId } : {}) },
    randomIds,
    stack.clock.nowIso(),
  );
}

async function addIntent(
  stack: Stack,
  input: { id: string; source: string; target: string; repo: string },
): Promise<Intent> {
  const intent = newIntent(
    {
      id: input.id,
      source: input.source,
      target: input.target,
      semantic: { problem_statement: `Change on ${input.source}` },
      technical: { repo: input.repo },
    },
    stack.clock.nowIso(),
  );
  return stack.store.intents.create(
    intent,
    event(stack, 'intent.created', { source: input.source }, input.id),
  );
}

/** One blocked, one merged, one validated intent; risk, health, alerts. */
async function seed(stack: Stack): Promise<void> {
  const { store } = stack;
  const blocked = await addIntent(stack, {
    id: 'acme/api:pr-101',
    source: 'feature/login',
    target: 'main',
    repo: 'acme/api',
  });
  await store.events.append(
    event(
      stack,
      'intent.blocked',
      {
        decision: 'blocked',
        reason: BLOCKED_REASON,
        reasons: [BLOCKED_REASON],
      },
      blocked.id,
    ),
  );
  await store.intents.updateRetries(blocked.id, 1, blocked.version);
  const merged = await addIntent(stack, {
    id: 'acme/api:pr-99',
    source: 'fix/timeout',
    target: 'main',
    repo: 'acme/api',
  });
  await store.intents.transition({
    id: merged.id,
    to: 'MERGED',
    expectedVersion: merged.version,
    event: event(
      stack,
      'intent.merged',
      { decision: 'merged', merged_commit: 'a1b2c3d' },
      merged.id,
    ),
  });
  const validated = await addIntent(stack, {
    id: 'acme/web:pr-7',
    source: 'feature/banner',
    target: 'release/2030.1',
    repo: 'acme/web',
  });
  await store.intents.transition({
    id: validated.id,
    to: 'VALIDATED',
    expectedVersion: validated.version,
    event: event(
      stack,
      'intent.validated',
      { decision: 'validated', reason: 'All gates passed' },
      validated.id,
    ),
  });
  for (const [i, risk] of [22, 48, 35, 61].entries()) {
    await store.events.append(
      event(stack, 'risk.evaluated', {
        risk_score: risk,
        damage_score: risk / 2,
        entropy_score: 10 + i,
        propagation_score: 5,
        containment_score: 0.8,
      }),
    );
  }
  for (const health of [92, 85, 78, 74]) {
    await store.events.append(
      event(stack, 'health.snapshot', {
        health_score: health,
        status: 'green',
        mergeable_rate: 0.9,
        conflict_rate: 0.1,
        avg_entropy: 12,
      }),
    );
  }
  // Half the simulations conflicted: the mergeable-rate SLO fails.
  for (const mergeable of [true, false, false, true]) {
    await store.events.append(
      event(stack, 'simulation.completed', {
        mergeable,
        conflicts: mergeable ? [] : ['src/app.ts'],
        files_changed: ['src/app.ts'],
      }),
    );
  }
}

/** A raw GET (no URL normalisation, unlike fetch), loopback only. */
function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path, method: 'GET' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard static assets on the local server', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await openDashboardStack();
  });

  afterAll(async () => {
    await stack.server.close();
    await stack.store.close();
  });

  it('serves / and /web/* with their content types', async () => {
    const index = await rawGet(stack.server.url, '/');
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<h1>Converge</h1>');
    const js = await rawGet(stack.server.url, '/web/app.js');
    expect(js.status).toBe(200);
    expect(js.type).toBe('text/javascript; charset=utf-8');
    const css = await rawGet(stack.server.url, '/web/styles.css');
    expect(css.type).toBe('text/css; charset=utf-8');
  });

  it('answers 404 outside web/ and for unknown files', async () => {
    for (const path of [
      '/web/../package.json',
      '/web/..%2fpackage.json',
      '/web/%2e%2e/%2e%2e/package.json',
      '/web/%2Fetc%2Fpasswd',
      '/web/missing.js',
      '/web/',
      '/web/%E0%A4%A',
    ]) {
      const reply = await rawGet(stack.server.url, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body, path).not.toContain('"name"');
    }
  });

  it('leaves the API routes to the router', async () => {
    const reply = await rawGet(stack.server.url, '/v1/dashboard');
    expect(reply.status).toBe(401);
    expect(reply.type).toContain('application/json');
  });
});

describe('dashboard in headless Chromium', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await openDashboardStack();
    await seed(stack);
  });

  afterAll(async () => {
    await stack.server.close();
    await stack.store.close();
  });

  it('shows the queue, the intents with why, charts and alerts', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (apt-get install chromium)`).toBe(
      true,
    );
    const profile = await mkdtemp(join(tmpdir(), 'converge-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
      colorScheme: 'light',
    });
    try {
      const offHost: string[] = [];
      const pageErrors: string[] = [];
      // Only the local server: anything else is recorded and aborted.
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === '127.0.0.1') return route.continue();
        offHost.push(url.href);
        return route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(`${stack.server.url}/`);
      await page.getByLabel('API key').fill('not-a-key');
      await page.getByRole('button', { name: 'Open dashboard' }).click();
      await page.getByText('The API key was refused.').waitFor();
      await expect(page.locator('#dashboard').isHidden()).resolves.toBe(true);
      await page.getByLabel('API key').fill(stack.key);
      await page.getByRole('button', { name: 'Open dashboard' }).click();
      await page.waitForSelector('main[aria-busy="false"]', {
        timeout: 30_000,
      });

      const blockedRow = page.locator('#intents tbody tr', {
        hasText: 'acme/api:pr-101',
      });
      await expect(blockedRow.locator('td.why').textContent()).resolves.toBe(
        `blocked ${BLOCKED_REASON}`,
      );
      const mergedWhy = page
        .locator('#intents tbody tr', { hasText: 'acme/api:pr-99' })
        .locator('td.why');
      await expect(mergedWhy.textContent()).resolves.toBe('merged as a1b2c3d');

      const queue = page.locator('#queue');
      await expect(queue.locator('h3').allTextContents()).resolves.toEqual([
        'acme/api → main',
        'acme/web → release/2030.1',
      ]);
      await expect(queue.textContent()).resolves.toContain('acme/api:pr-101');
      await expect(queue.textContent()).resolves.not.toContain(
        'acme/api:pr-99',
      );

      for (const chart of ['#risk-chart', '#health-chart']) {
        await expect(page.locator(`${chart} svg path`).count()).resolves.toBe(
          1,
        );
        const d = await page.locator(`${chart} svg path`).getAttribute('d');
        expect(d).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+){3}$/);
      }

      const alerts = page.getByRole('region', { name: 'Alerts' });
      await expect(alerts.locator('li.alert').count()).resolves.toBeGreaterThan(
        0,
      );
      await expect(alerts.textContent()).resolves.toContain(
        'SLO breach: mergeable_rate: 0.5, needs >= 0.8',
      );

      await expect(page.locator('#status').textContent()).resolves.toBe(
        'Data as of 2030-03-01 08:18Z',
      );
      // The port is random: show a stable one so the committed image only
      // changes when the page does.
      await page.locator('#api-base').evaluate((node) => {
        node.textContent = 'API: http://127.0.0.1:3000';
      });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect((await stat(SCREENSHOT)).size).toBeLessThan(400_000);
      expect(offHost).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
