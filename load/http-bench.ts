/**
 * HTTP read benchmark (KPIS.md): GET /v1/intents/{id} on the local stack,
 * 50 connections, 3 runs of 10 s. Target >= 2,000 req/s and p99 <= 20 ms.
 * Run: `npx tsx load/http-bench.ts`; writes load/results/http-read.json.
 */
import autocannon from 'autocannon';
import { startStack, summarize, writeResult } from './bench-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

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
    const rps: number[] = [];
    const p99: number[] = [];
    let non2xx = 0;
    for (let run = 0; run < RUNS; run++) {
      const result = await autocannon({
        url: `${stack.url}/v1/intents/bench-1`,
        connections: 50,
        duration: SECONDS,
        headers,
      });
      rps.push(result.requests.average);
      p99.push(result.latency.p99);
      non2xx += result.non2xx + result.errors;
    }
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
    const data = {
      benchmark: 'GET /v1/intents/{id}',
      writes: {
        route: 'POST /v1/intents',
        requestsPerSecond: writes.requests.average,
        p99Ms: writes.latency.p99,
        non2xxOrErrors: writes.non2xx + writes.errors,
      },
      connections: 50,
      seconds: SECONDS,
      requestsPerSecond: summarize(rps),
      p99Ms: summarize(p99),
      non2xxOrErrors: non2xx,
      target: { rps: 2000, p99Ms: 20 },
      pass:
        summarize(rps).median >= 2000 &&
        summarize(p99).median <= 20 &&
        non2xx === 0,
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
