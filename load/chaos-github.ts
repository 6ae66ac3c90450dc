/**
 * GitHub outage (KPIS.md recovery; DECISIONS 13): decisions are durable in
 * the outbox first and published after. Two phases against the local fake
 * GitHub (test/support/fake-github.ts), each with DECISIONS decisions of
 * distinct intents and two publishers racing (two `publishPending` loops on
 * one store, every TICK_MS, base backoff 200 ms, cap 1 s):
 * - refused: the fake is down (connection refused) for OUTAGE_MS, then up;
 * - 503: the fake answers every request with 503 for OUTAGE_MS, then heals.
 * Target: after recovery every decision is published, none lost (all outbox
 * entries done, none dead-lettered) and none twice (the fake answered
 * exactly one check-run POST and one status POST per decision, one check
 * run per external id); recovery time is from the fault's end to the last
 * publication. Run: `npx tsx load/chaos-github.ts`; writes
 * load/results/chaos-github.json.
 */
import { generateKeyPairSync } from 'node:crypto';
import { GitHubClient } from '../shared/adapters/github/github-client.js';
import { GitHubPublisher } from '../shared/adapters/github/github-publisher.js';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import { decisionOutbox } from '../shared/domain/engine/validate-intent.js';
import { newIntent } from '../shared/domain/intent.js';
import {
  type PublishOutboxDeps,
  publishPending,
} from '../shared/domain/outbox/publish-outbox.js';
import { systemClock } from '../shared/ports/clock.js';
import { FakeGitHub, type FakeRepo } from '../test/support/fake-github.js';
import { summarize, writeResult } from './bench-support.js';
import { machine, sleep } from './chaos-support.js';

const DECISIONS = Number(process.env.CHAOS_DECISIONS ?? 50);
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 3_000);
const TICK_MS = 100;
const RECOVERY_TIMEOUT_MS = 30_000;
const INSTALLATION_ID = 4242;
const REPO = 'acme/app';
const OPTIONS = {
  limit: 100,
  maxAttempts: 10,
  baseDelayMs: 200,
  maxDelayMs: 1_000,
};
const CHECK_RUNS = /\/check-runs$/;
const STATUSES = /\/statuses\/[0-9a-f]+$/;

type Fault = 'refused' | '503';

interface World {
  fake: FakeGitHub;
  repo: FakeRepo;
  head: string;
  store: SqliteStore;
  deps: PublishOutboxDeps;
}

async function world(): Promise<World> {
  const fake = await FakeGitHub.start();
  const repo = fake.createRepo(REPO);
  const head = repo.commitOn('main', { 'a.ts': 'a' });
  const store = SqliteStore.open({ path: ':memory:', clock: systemClock });
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const quiet = () => undefined;
  const client = new GitHubClient({
    appId: 1,
    privateKey,
    baseUrl: fake.baseUrl,
    timeoutMs: 2_000,
    retries: 2,
    retryUnitMs: 1,
    throttle: { enabled: false },
    breaker: { consecutiveFailures: 5, halfOpenAfterMs: 200 },
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  const publisher = new GitHubPublisher({ client });
  const deps = { store, publisher, clock: systemClock, ids: randomIds };
  return { fake, repo, head, store, deps };
}

async function enqueue(w: World, first: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = first; n < first + DECISIONS; n++) {
    const intent = newIntent(
      {
        id: `${REPO}:pr-${n}`,
        source: `feature/${n}`,
        technical: {
          repo: REPO,
          pr_number: n,
          installation_id: String(INSTALLATION_ID),
          head_sha: w.head,
        },
      },
      systemClock.nowIso(),
    );
    await w.store.intents.create(intent);
    const decision = { decision: 'validated', reason: 'All gates passed' };
    const trace = `trace-${String(n).padStart(16, '0')}`;
    const entry = decisionOutbox(w.deps, intent, decision, trace);
    if (!entry) throw new Error('not a GitHub intent');
    await w.store.outbox.enqueue(entry);
    ids.push(entry.id);
  }
  return ids;
}

/** Two publishers, each running `publishPending` every tick, until `stop`. */
function publishers(w: World, stop: () => boolean) {
  const tally = { runs: 0, busy: 0, retrying: 0, deadLettered: 0 };
  const loop = async () => {
    while (!stop()) {
      const s = await publishPending(w.deps, OPTIONS);
      tally.runs += 1;
      tally.busy += s.busy ? 1 : 0;
      tally.retrying += s.retrying.length;
      tally.deadLettered += s.deadLettered.length;
      await sleep(TICK_MS);
    }
  };
  return { tally, done: Promise.all([loop(), loop()]) };
}

async function undone(w: World, ids: string[]): Promise<number> {
  let left = 0;
  for (const id of ids) {
    if ((await w.store.outbox.get(id))?.doneAt == null) left += 1;
  }
  return left;
}

async function faultOn(w: World, fault: Fault): Promise<void> {
  if (fault === 'refused') await w.fake.down();
  else w.fake.failNext(Number.POSITIVE_INFINITY, 503);
}

async function faultOff(w: World, fault: Fault): Promise<void> {
  if (fault === 'refused') await w.fake.up();
  else w.fake.clearFaults();
}

async function phase(w: World, fault: Fault, first: number) {
  const ids = await enqueue(w, first);
  const runsBefore = w.repo.checkRuns.length;
  const postsBefore = w.fake.count('POST', CHECK_RUNS, true);
  const statusesBefore = w.fake.count('POST', STATUSES, true);
  await faultOn(w, fault);
  let finished = false;
  const pubs = publishers(w, () => finished);
  await sleep(OUTAGE_MS);
  const pendingAtRecovery = await undone(w, ids);
  await faultOff(w, fault);
  const recoveredAt = Date.now();
  let left = pendingAtRecovery;
  while (left > 0 && Date.now() - recoveredAt < RECOVERY_TIMEOUT_MS) {
    await sleep(20);
    left = await undone(w, ids);
  }
  const recoveryMs = Date.now() - recoveredAt;
  finished = true;
  await pubs.done;
  const runs = w.repo.checkRuns.slice(runsBefore);
  const externalIds = new Set(runs.map((r) => r.external_id));
  const result = {
    fault,
    decisions: ids.length,
    outageMs: OUTAGE_MS,
    pendingAtRecovery,
    recoveryMs,
    publisherRuns: pubs.tally.runs,
    lockBusyRuns: pubs.tally.busy,
    failedAttempts: pubs.tally.retrying,
    deadLettered: pubs.tally.deadLettered,
    lost: left,
    checkRunPosts: w.fake.count('POST', CHECK_RUNS, true) - postsBefore,
    statusPosts: w.fake.count('POST', STATUSES, true) - statusesBefore,
    checkRuns: runs.length,
    distinctExternalIds: externalIds.size,
  };
  const n = ids.length;
  const pass =
    result.lost === 0 &&
    result.deadLettered === 0 &&
    pendingAtRecovery === n &&
    result.checkRunPosts === n &&
    result.statusPosts === n &&
    result.checkRuns === n &&
    result.distinctExternalIds === n;
  return { ...result, pass };
}

async function main(): Promise<void> {
  const w = await world();
  try {
    const phases = [
      await phase(w, 'refused', 1),
      await phase(w, '503', 1 + DECISIONS),
    ];
    const published = (
      await w.store.events.query(
        { type: 'github.decision_published' },
        { limit: 1000 },
      )
    ).items.length;
    const data = {
      scenario: 'GitHub unreachable, outbox retried with backoff',
      options: { ...OPTIONS, tickMs: TICK_MS, publishers: 2 },
      recoveryMs: summarize(phases.map((p) => p.recoveryMs)),
      phases,
      publishedEvents: published,
      pass: phases.every((p) => p.pass) && published === 2 * DECISIONS,
      machine: machine(),
      at: new Date().toISOString(),
    };
    writeResult('chaos-github', data);
    console.log(JSON.stringify(data, null, 2));
    if (!data.pass) process.exitCode = 1;
  } finally {
    await w.store.close();
    await w.fake.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
