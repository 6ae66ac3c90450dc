/**
 * The whole GitHub App path on loopback: the webhook function on a local HTTP
 * server, the queue processor's record handling over an in-process bus, the
 * engine on GitHubScm / GitHubChecks, and the outbox published by
 * GitHubPublisher, all against the local GitHub-compatible server.
 */
import * as webhooks from '../../../functions/webhooks.js';
import { GitHubChecks } from '../../../shared/adapters/github/github-checks.js';
import type { GitHubClient } from '../../../shared/adapters/github/github-client.js';
import { GitHubPublisher } from '../../../shared/adapters/github/github-publisher.js';
import { GitHubScm } from '../../../shared/adapters/github/github-scm.js';
import { randomIds } from '../../../shared/adapters/ids/random-ids.js';
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
import { systemClock } from '../../../shared/ports/clock.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import { queueTick } from '../../../shared/runtime/scheduled-tasks.js';
import type { FakeGitHub } from '../../support/fake-github.js';
import { TestClock } from '../../support/test-clock.js';
import { postDelivery, SECRET } from '../webhooks/webhook-harness.js';
import { INSTALLATION_ID, testClient } from './github-harness.js';

/** A delivery's answer. */
export interface Reply {
  status: number;
  json: Record<string, unknown>;
}

/** What `drain` did with the bus. */
export interface DrainReport {
  handled: number;
  /** Messages whose handling threw: left on the bus for redelivery. */
  failed: number;
}

/** The stack, its parts, and the moves a test makes. */
export interface GitHubAppStack {
  deps: Deps;
  store: SqliteStore;
  bus: MemoryBus;
  clock: TestClock;
  client: GitHubClient;
  /** Signs (unless `signature` is given) and POSTs one delivery. */
  deliver(
    name: string,
    payload: unknown,
    opts: { deliveryId: string; signature?: string },
  ): Promise<Reply>;
  /** Runs every message on the bus, follow-ups included, as the processor does. */
  drain(): Promise<DrainReport>;
  /** One scheduler tick: the queue pass and one outbox publishing run. */
  tick(): ReturnType<typeof queueTick>;
  close(): Promise<void>;
}

/**
 * Starts the stack against `fake`, checks from GitHub; auto-merge off
 * until a test turns it on (`stack.deps.env.CONVERGE_AUTO_MERGE = true`).
 */
export async function openGitHubAppStack(
  fake: FakeGitHub,
): Promise<GitHubAppStack> {
  const clock = new TestClock();
  const store = SqliteStore.open({ path: ':memory:', clock });
  const bus = new MemoryBus({ clock: systemClock, maxReceives: 100 });
  const client = testClient(fake);
  const portsOf = (repo: string) => {
    const options = { client, repo, installationId: INSTALLATION_ID };
    return { scm: new GitHubScm(options), checks: new GitHubChecks(options) };
  };
  const deps: Deps = {
    env: parseEnv({ CONVERGE_AUTO_MERGE: '0', CONVERGE_SKIP_CHECKS: '0' }),
    store,
    clock,
    ids: randomIds,
    ...portsOf('Codertocat/Hello-World'),
    repoPorts: async (intent) => portsOf(String(intent.technical.repo)),
    policy: DEFAULT_POLICY_CONFIG,
    bus,
    publisher: new GitHubPublisher({ client }),
    webhookSecret: async () => SECRET,
  };
  const server = await startWebhookServer(deps);
  return {
    deps,
    store,
    bus,
    clock,
    client,
    deliver: (name, payload, opts) =>
      postDelivery(server.url, name, payload, opts),
    drain: () => drainBus(deps, bus),
    tick: () => queueTick(deps, 'e2e-tick'),
    async close() {
      await server.close();
      await store.close();
    },
  };
}

function startWebhookServer(deps: Deps): Promise<LocalServer> {
  const handler = httpHandler(webhooks.routes, { deps: async () => deps });
  return startLocalServer({
    port: 0,
    host: '127.0.0.1',
    routes: [{ routes: webhooks.routes, handler, name: 'webhooks' }],
    authorize: async () => null,
    timeoutMs: 10_000,
  });
}

/**
 * Receives until the bus is empty. A message whose handling throws is
 * released unacknowledged (it comes back, as on SQS), and the drain stops
 * there so a test can restore GitHub and drain again.
 */
async function drainBus(deps: Deps, bus: MemoryBus): Promise<DrainReport> {
  const report: DrainReport = { handled: 0, failed: 0 };
  for (;;) {
    const batch = await bus.receive(10);
    if (batch.length === 0) return report;
    for (const received of batch) {
      try {
        await handleBusRecord(deps, received);
      } catch {
        report.failed += 1;
        for (const unhandled of batch.slice(batch.indexOf(received))) {
          await bus.nack(unhandled.receipt);
        }
        return report;
      }
      await bus.ack(received.receipt);
      report.handled += 1;
    }
  }
}
