/**
 * DynamoDB throttling (KPIS.md resilience): DynamoDB Local behind a loopback
 * proxy (load/throttle-proxy.ts) that answers requests with 400
 * ThrottlingException / ProvisionedThroughputExceededException.
 * 1. store: a DynamoDbStore (3 retries, 5 ms base) through the proxy. At a
 *    30 % share every failure must be a TransientError, at a rate near
 *    share^4; at 100 % every call fails after exactly 4 attempts; with the
 *    proxy off every acknowledged write is readable.
 * 2. http: the local stack on STORE_DRIVER=dynamodb through the proxy
 *    (default store settings: 3 retries, 50 ms base). Phases: calibration
 *    (off), retries absorb (each call throttled exactly 3 times: 0 errors),
 *    exhausted (100 %: 503 only), random 25 % share with 8 concurrent
 *    clients (5xx only 503 and within the budget that share^4 per call
 *    predicts), recovery (every 201 intent readable).
 * Run: `npx tsx load/chaos-dynamodb.ts`; writes load/results/chaos-dynamodb.json.
 */
import { DynamoDbStore } from '../shared/adapters/dynamodb/dynamodb-store.js';
import { TransientError } from '../shared/domain/errors.js';
import { newIntent } from '../shared/domain/intent.js';
import { systemClock } from '../shared/ports/clock.js';
import {
  createTestTable,
  localClient,
  startDynamoDbLocal,
} from '../test/support/dynamodb-local.js';
import { startStack, writeResult } from './bench-support.js';
import { machine, pool } from './chaos-support.js';
import {
  type Call,
  type HttpPhase,
  httpPhase,
  readBack,
} from './throttle-calls.js';
import { startThrottleProxy, type ThrottleProxy } from './throttle-proxy.js';

const STORE_OPS = Number(process.env.CHAOS_STORE_OPS ?? 1000);
const STORE_SHARE = 0.3;
const HTTP_SHARE = 0.25;
const RETRIES = 3;
const PORT = 18186;

type Store = DynamoDbStore;
type Outcome = 'ok' | 'transient' | 'other';

async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    await fn();
    return 'ok';
  } catch (error) {
    return error instanceof TransientError ? 'transient' : 'other';
  }
}

function tally(outcomes: Outcome[]) {
  const n = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return { ok: n('ok'), transient: n('transient'), other: n('other') };
}

async function storeShare(store: Store, proxy: ThrottleProxy) {
  proxy.setMode({ kind: 'share', share: STORE_SHARE });
  proxy.reset();
  const acked: string[] = [];
  const jobs = Array.from({ length: STORE_OPS }, (_, i) => async () => {
    const id = `store-${i}`;
    const intent = newIntent({ id, source: 'f' }, systemClock.nowIso());
    const created = await outcome(() => store.intents.create(intent));
    if (created === 'ok') acked.push(id);
    return [created, await outcome(() => store.intents.get(id))];
  });
  const outcomes = (await pool(jobs, 16)).flat();
  const calls = outcomes.length;
  const t = tally(outcomes);
  const expected = STORE_SHARE ** (RETRIES + 1);
  return {
    share: STORE_SHARE,
    calls,
    ...t,
    proxy: { ...proxy.stats },
    failureRate: t.transient / calls,
    expectedFailureRate: expected,
    budget: Math.ceil(calls * expected * 2 + 3),
    acked,
  };
}

async function storeLevel(endpoint: string) {
  const admin = localClient(endpoint);
  const tableName = await createTestTable(admin);
  admin.destroy();
  const proxy = await startThrottleProxy(endpoint, 11);
  const client = localClient(proxy.url);
  const store = new DynamoDbStore({
    client,
    tableName,
    clock: systemClock,
    maxRetries: RETRIES,
    retryBaseDelayMs: 5,
  });
  try {
    const { acked, ...share } = await storeShare(store, proxy);
    proxy.setMode({ kind: 'share', share: 1 });
    proxy.reset();
    const all = await pool(
      Array.from(
        { length: 20 },
        (_, i) => () => outcome(() => store.intents.get(`store-${i}`)),
      ),
      4,
    );
    const exhausted = { calls: 20, ...tally(all), proxy: { ...proxy.stats } };
    proxy.setMode({ kind: 'off' });
    const readable = await pool(
      acked.map((id) => async () => (await store.intents.get(id)) !== null),
      16,
    );
    const lost = readable.filter((r) => !r).length;
    const pass =
      share.other === 0 &&
      share.transient <= share.budget &&
      exhausted.transient === 20 &&
      exhausted.proxy.requests === 20 * (RETRIES + 1) &&
      lost === 0;
    return { share, exhausted, acknowledged: acked.length, lost, pass };
  } finally {
    client.destroy();
    await proxy.close();
  }
}

/** `count` create-then-read pairs, then `probes` public readiness probes. */
function calls(from: number, count: number, probes = 0): Call[][] {
  const out: Call[][] = [];
  for (let i = from; i < from + count; i++) {
    const id = `http-${i}`;
    out.push([
      { kind: 'create', id },
      { kind: 'read', id },
    ]);
  }
  for (let i = 0; i < probes; i++) out.push([{ kind: 'ready', id: '' }]);
  return out;
}

async function httpLevel(endpoint: string) {
  const admin = localClient(endpoint);
  const tableName = await createTestTable(admin);
  admin.destroy();
  const proxy = await startThrottleProxy(endpoint, 13);
  const stack = await startStack({
    port: PORT,
    env: {
      STORE_DRIVER: 'dynamodb',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: proxy.url,
      AWS_REGION: 'us-east-1',
      // DynamoDB Local keys tables by access key and region: the same dummy
      // values as test/support/dynamodb-local.ts `localClient`.
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      CONVERGE_WORKER_INTERVAL_MS: '3600000',
    },
  });
  try {
    const phases: HttpPhase[] = [];
    const acked: string[] = [];
    const run = async (
      name: string,
      mode: Parameters<ThrottleProxy['setMode']>[0],
      list: Call[][],
      concurrency = 1,
    ) => {
      proxy.setMode(mode);
      proxy.reset();
      const done = await httpPhase(stack, list, concurrency);
      acked.push(...done.acked);
      phases.push({ ...done.phase, name, proxy: { ...proxy.stats } });
      return phases.at(-1);
    };
    const calibration = await run('calibration', { kind: 'off' }, calls(0, 20));
    const perRequest = (calibration?.proxy.requests ?? 0) / 40;
    await run(
      'retries absorb',
      { kind: 'first', attempts: RETRIES },
      calls(100, 8),
    );
    await run('exhausted', { kind: 'share', share: 1 }, calls(200, 5, 5));
    const random = await run(
      'random share',
      { kind: 'share', share: HTTP_SHARE },
      calls(300, 100),
      8,
    );
    proxy.setMode({ kind: 'off' });
    const recovery = await readBack(stack, acked);
    const expectedRate = 1 - (1 - HTTP_SHARE ** (RETRIES + 1)) ** perRequest;
    const budget = Math.ceil((random?.requests ?? 0) * expectedRate * 2 + 3);
    return {
      dynamoCallsPerRequest: perRequest,
      expectedRate,
      budget,
      phases,
      recovery,
    };
  } finally {
    await stack.stop('SIGTERM');
    await proxy.close();
  }
}

function httpPass(http: Awaited<ReturnType<typeof httpLevel>>): boolean {
  const by = (name: string) => http.phases.find((p) => p.name === name);
  const random = by('random share');
  return (
    by('calibration')?.errors === 0 &&
    by('retries absorb')?.errors === 0 &&
    by('exhausted')?.non503FiveXx === 0 &&
    by('exhausted')?.status503 === by('exhausted')?.requests &&
    random?.non503FiveXx === 0 &&
    (random?.status503 ?? 0) <= http.budget &&
    http.recovery.lost === 0
  );
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamo = await startDynamoDbLocal();
  try {
    const store = await storeLevel(dynamo.endpoint);
    console.log(JSON.stringify(store, null, 2));
    const http = await httpLevel(dynamo.endpoint);
    const data = {
      scenario: 'DynamoDB throttling behind a loopback proxy',
      retries: RETRIES,
      store,
      http: { ...http, pass: httpPass(http) },
      pass: store.pass && httpPass(http),
      machine: machine(),
      at: new Date().toISOString(),
    };
    writeResult('chaos-dynamodb', data);
    console.log(JSON.stringify(data, null, 2));
    if (!data.pass) process.exitCode = 1;
  } finally {
    await dynamo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
