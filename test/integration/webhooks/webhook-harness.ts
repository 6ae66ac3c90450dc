import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { sign } from '@octokit/webhooks-methods';
import type {
  WebhookEventMap,
  WebhookEventName,
} from '@octokit/webhooks-types';
import * as webhooks from '../../../functions/webhooks.js';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import { randomIds } from '../../../shared/adapters/ids/random-ids.js';
import { MakeChecks } from '../../../shared/adapters/make/make-checks.js';
import { MemoryBus } from '../../../shared/adapters/memory-bus/memory-bus.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import { parseEnv } from '../../../shared/config/env.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import { handleBusRecord } from '../../../shared/http/bus-record.js';
import {
  type LocalServer,
  startLocalServer,
} from '../../../shared/http/local-server.js';
import { httpHandler } from '../../../shared/http/router.js';
import { parseBusMessage } from '../../../shared/http/schemas/bus-message.js';
import type { Bus, BusMessage } from '../../../shared/ports/bus.js';
import { systemClock } from '../../../shared/ports/clock.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import { TestRepo } from '../../support/git-repo.js';
import { TestClock } from '../../support/test-clock.js';

export const SECRET = 'It is a secret to everybody';

const definitions = createRequire(import.meta.url)(
  '@octokit/webhooks-examples',
) as WebhookDefinition[];

/**
 * A real payload of `@octokit/webhooks-examples`, deep-copied so a test may
 * change it: the first example of `name` with `action` that `where` accepts
 * (preferring one that carries an installation, as App deliveries do).
 */
export function examplePayload<N extends WebhookEventName>(
  name: N,
  action?: string,
  where: (example: WebhookEventMap[N]) => boolean = () => true,
): WebhookEventMap[N] {
  const definition = definitions.find((d) => d.name === name);
  const examples = (definition?.examples ?? []) as WebhookEventMap[N][];
  const matching = examples.filter(
    (e) =>
      (action === undefined || ('action' in e && e.action === action)) &&
      where(e),
  );
  const example =
    matching.find((e) => 'installation' in e && e.installation) ?? matching[0];
  if (!example) throw new Error(`no example for ${name}.${action ?? ''}`);
  return structuredClone(example);
}

/** A bus message as received, with its group. */
export interface Taken {
  groupId: string;
  message: BusMessage;
}

/** The webhook function on a real local HTTP server, SQLite and a memory bus. */
export interface WebhookStack {
  url: string;
  deps: Deps;
  store: SqliteStore;
  bus: MemoryBus;
  clock: TestClock;
  repo: TestRepo;
  server: LocalServer;
  /** Signs and POSTs a delivery; returns status and JSON. */
  deliver(
    name: string,
    payload: unknown,
    opts?: {
      deliveryId?: string;
      body?: string;
      signature?: string;
      omit?: string[];
    },
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /**
   * Drains the bus: messages of the kinds in `run` go through the queue
   * processor's record handling (follow-ups included); the others are
   * acknowledged and returned.
   */
  drain(run?: readonly BusMessage['kind'][]): Promise<Taken[]>;
  close(): Promise<void>;
}

/** Options of `openWebhookStack`. */
export interface WebhookStackOptions {
  secret?: string | null;
  /** Replaces the bus the webhook sends to (e.g. a failing one). */
  sendBus?: Bus;
  env?: Record<string, string>;
}

/** Deps over a fresh SQLite store and a git repo (for the engine). */
export function makeDeps(
  opts: { env?: Record<string, string>; secret?: string | null } = {},
): { deps: Deps; store: SqliteStore; bus: MemoryBus; repo: TestRepo } {
  const repo = new TestRepo();
  repo.commit({ 'README.md': '# Hello\n' }, 'initial');
  const clock = new TestClock();
  const store = SqliteStore.open({ path: ':memory:', clock });
  const bus = new MemoryBus({ clock: systemClock, maxReceives: 5 });
  const secret = opts.secret === undefined ? SECRET : opts.secret;
  const deps: Deps = {
    env: parseEnv({
      CONVERGE_REPO_DIR: repo.dir,
      CONVERGE_SKIP_CHECKS: '1',
      CONVERGE_AUTO_MERGE: '0',
      ...opts.env,
    }),
    store,
    clock,
    ids: randomIds,
    scm: new GitScm({ repoDir: repo.dir }),
    checks: new MakeChecks({ cwd: repo.dir, timeoutMs: 20_000 }),
    policy: DEFAULT_POLICY_CONFIG,
    bus,
    webhookSecret: async () => secret,
  };
  return { deps, store, bus, repo };
}

async function drainBus(
  deps: Deps,
  bus: MemoryBus,
  run: readonly BusMessage['kind'][],
): Promise<Taken[]> {
  const kept: Taken[] = [];
  for (;;) {
    const batch = await bus.receive(10);
    if (batch.length === 0) return kept;
    for (const received of batch) {
      const message = parseBusMessage(received.body);
      if (run.includes(message.kind)) {
        await handleBusRecord(deps, received);
      } else {
        kept.push({ groupId: received.groupId, message });
      }
      await bus.ack(received.receipt);
    }
  }
}

/** What `postDelivery` may change about a delivery. */
export interface DeliveryOptions {
  deliveryId: string;
  /** The raw body instead of the JSON of the payload. */
  body?: string;
  /** Instead of the HMAC of the body with SECRET. */
  signature?: string;
  /** Headers to leave out. */
  omit?: string[];
}

/**
 * POSTs one GitHub delivery to the webhook route at `url`, signed with
 * SECRET as GitHub signs it; returns the status and the JSON answer.
 */
export async function postDelivery(
  url: string,
  name: string,
  payload: unknown,
  o: DeliveryOptions,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = o.body ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': name,
    'x-github-delivery': o.deliveryId,
    'x-hub-signature-256': o.signature ?? (await sign(SECRET, body)),
  };
  for (const h of o.omit ?? []) delete headers[h];
  const res = await fetch(`${url}/v1/integrations/github/webhook`, {
    method: 'POST',
    headers,
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** Starts the webhook function on 127.0.0.1 (a free port). */
export async function openWebhookStack(
  opts: WebhookStackOptions = {},
): Promise<WebhookStack> {
  const { deps, store, bus, repo } = makeDeps(opts);
  const routeDeps: Deps = opts.sendBus ? { ...deps, bus: opts.sendBus } : deps;
  const handler = httpHandler(webhooks.routes, { deps: async () => routeDeps });
  const server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    routes: [{ routes: webhooks.routes, handler, name: 'webhooks' }],
    authorize: async () => null,
    timeoutMs: 10_000,
  });
  let counter = 0;
  return {
    url: server.url,
    deps,
    store,
    bus,
    clock: deps.clock as TestClock,
    repo,
    server,
    deliver(name, payload, o = {}) {
      counter += 1;
      return postDelivery(server.url, name, payload, {
        ...o,
        deliveryId: o.deliveryId ?? `delivery-${counter}`,
      });
    },
    drain: (run = ['github-event']) => drainBus(deps, bus, run),
    async close() {
      await server.close();
      await store.close();
      repo.remove();
    },
  };
}
