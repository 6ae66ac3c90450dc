/**
 * HTTP read benchmark (KPIS.md): GET /v1/intents/{id} on the local stack
 * (BENCH_HTTP_PROCESSES HTTP processes, default 2), 50 connections. Target
 * >= 2,000 req/s and p99 <= 20 ms, read as two measurements:
 * - capacity: 3 closed-loop autocannon runs of 10 s (each connection sends
 *   its next request on the answer), median req/s >= 2,000;
 * - latency: 5 open-loop runs at the target rate (2,000 req/s offered over
 *   the same 50 connections, `paced-load.ts`), median p99 <= 20 ms, timed
 *   from each request's scheduled send. A closed loop's p99 is reported too,
 *   but it measures the connection count, not the service: its mean latency
 *   is connections / throughput (Little's law) whatever the server does.
 * Run: `npx tsx load/http-bench.ts`; writes load/results/http-read.json.
 */
import autocannon from 'autocannon';
import {
  type StackProcess,
  stackCpuMs,
  startStack,
  summarize,
  totalCpuPerRequest,
  writeResult,
} from './bench-support.js';
import { machine } from './chaos-support.js';
import { type PacedResult, pacedLoad } from './paced-load.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Open-loop runs: their p99 moves with the box's load, so the median of 5. */
const PACED_RUNS = Number(process.env.BENCH_PACED_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const HTTP_PROCESSES = process.env.BENCH_HTTP_PROCESSES ?? '2';
const CONNECTIONS = 50;
const TARGET = { rps: 2000, p99Ms: 20 };

type Headers = Record<string, string>;

/** RUNS closed-loop runs of GET /v1/intents/bench-1 at 50 connections. */
async function readRuns(stack: StackProcess, headers: Headers) {
  const rps: number[] = [];
  const p99: number[] = [];
  const cpu: number[] = [];
  let non2xx = 0;
  const pid = stack.child.pid ?? 0;
  for (let run = 0; run < RUNS; run++) {
    const before = stackCpuMs(pid);
    const result = await autocannon({
      url: `${stack.url}/v1/intents/bench-1`,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers,
    });
    // With several HTTP processes they are children of the stack process.
    const after = stackCpuMs(pid);
    const per = totalCpuPerRequest(before, after, result.requests.total);
    if (per !== null) cpu.push(per);
    rps.push(result.requests.average);
    p99.push(result.latency.p99);
    non2xx += result.non2xx + result.errors;
  }
  return { rps, p99, cpu, non2xx };
}

/** PACED_RUNS open-loop runs at the target rate over the same connections. */
async function pacedRuns(stack: StackProcess, headers: Headers) {
  const runs: PacedResult[] = [];
  for (let run = 0; run < PACED_RUNS; run++) {
    runs.push(
      await pacedLoad({
        origin: stack.url,
        connections: CONNECTIONS,
        rate: TARGET.rps,
        seconds: SECONDS,
        warmupSeconds: 2,
        build: () => ({ method: 'GET', path: '/v1/intents/bench-1', headers }),
      }),
    );
  }
  // Network errors, timeouts and non-200 answers alike.
  const failed = runs.reduce(
    (sum, r) => sum + r.sent - (r.statuses['200'] ?? 0),
    0,
  );
  return { runs, failed };
}

/** One run of POST /v1/intents with unique ids, for reference. */
async function writeRun(stack: StackProcess, headers: Headers) {
  const writes = await autocannon({
    url: `${stack.url}/v1/intents`,
    connections: CONNECTIONS,
    duration: SECONDS,
    method: 'POST',
    headers,
    idReplacement: true,
    body: JSON.stringify({
      id: 'w-[<id>]',
      source: 'feature/none',
      tenant_id: 'bench',
    }),
  });
  return {
    route: 'POST /v1/intents',
    requestsPerSecond: writes.requests.average,
    p99Ms: writes.latency.p99,
    non2xxOrErrors: writes.non2xx + writes.errors,
  };
}

async function main(): Promise<void> {
  const stack = await startStack({
    port: 18181,
    env: { CONVERGE_HTTP_PROCESSES: HTTP_PROCESSES },
  });
  try {
    const headers = {
      'x-api-key': stack.key,
      'content-type': 'application/json',
    };
    const created = await fetch(`${stack.url}/v1/intents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id: 'bench-1',
        source: 'feature/none',
        tenant_id: 'bench',
      }),
    });
    if (created.status !== 201)
      throw new Error(`create failed: ${created.status}`);
    const reads = await readRuns(stack, headers);
    const paced = await pacedRuns(stack, headers);
    const rps = summarize(reads.rps);
    const p99 = summarize(paced.runs.map((r) => r.latencyMs.p99));
    const failed = reads.non2xx + paced.failed;
    const data = {
      benchmark: 'GET /v1/intents/{id}',
      httpProcesses: Number(HTTP_PROCESSES),
      writes: await writeRun(stack, headers),
      connections: CONNECTIONS,
      seconds: SECONDS,
      // Capacity: closed loop, saturated.
      requestsPerSecond: rps,
      // Latency at the target rate, offered open-loop.
      p99Ms: p99,
      pacedRateRps: TARGET.rps,
      paced: paced.runs,
      // The closed loop's own p99 (connections / throughput, see above).
      closedLoopP99Ms: summarize(reads.p99),
      // CPU of the stack's processes per request (ms): steadier than req/s
      // on a shared machine.
      httpCpuMsPerRequest: reads.cpu.length > 0 ? summarize(reads.cpu) : null,
      non2xxOrErrors: failed,
      target: TARGET,
      machine: machine(),
      pass:
        rps.median >= TARGET.rps && p99.median <= TARGET.p99Ms && failed === 0,
      at: new Date().toISOString(),
    };
    writeResult('http-read', data);
    console.log(JSON.stringify(data, null, 2));
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
