/**
 * HTTP read benchmark (KPIS.md): GET /v1/intents/{id} on the local stack,
 * 50 connections, 3 runs of 10 s. Target >= 2,000 req/s and p99 <= 20 ms.
 * Run: `npx tsx load/http-bench.ts`; writes load/results/http-read.json.
 */
import autocannon from 'autocannon';
import {
  cpuPerRequest,
  type StackProcess,
  stackCpuMs,
  startStack,
  summarize,
  writeResult,
} from './bench-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

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
      connections: 50,
      duration: SECONDS,
      headers,
    });
    const per = cpuPerRequest(before, stackCpuMs(pid), result.requests.total);
    if (per) cpu.push(per.http);
    rps.push(result.requests.average);
    p99.push(result.latency.p99);
    non2xx += result.non2xx + result.errors;
  }
  return { rps, p99, cpu, non2xx };
}

/** One run of POST /v1/intents with unique ids, for reference. */
async function writeRun(stack: StackProcess, headers: Headers) {
  const writes = await autocannon({
    url: `${stack.url}/v1/intents`,
    connections: 50,
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
  const stack = await startStack({ port: 18181 });
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
    const rps = summarize(reads.rps);
    const p99 = summarize(reads.p99);
    const data = {
      benchmark: 'GET /v1/intents/{id}',
      writes: await writeRun(stack, headers),
      connections: 50,
      seconds: SECONDS,
      requestsPerSecond: rps,
      p99Ms: p99,
      // CPU of the HTTP process per request (ms): steadier than req/s on
      // a shared machine.
      httpCpuMsPerRequest: reads.cpu.length > 0 ? summarize(reads.cpu) : null,
      non2xxOrErrors: reads.non2xx,
      target: { rps: 2000, p99Ms: 20 },
      pass: rps.median >= 2000 && p99.median <= 20 && reads.non2xx === 0,
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
