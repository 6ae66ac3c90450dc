/**
 * The HTTP side of load/chaos-dynamodb.ts: a list of calls against the
 * local stack, the status codes they got, and the read-back of every
 * acknowledged (201) write.
 */
import type { StackProcess } from './bench-support.js';
import { pool } from './chaos-support.js';
import type { ThrottleStats } from './throttle-proxy.js';

/** One request: create an intent, read it, or the public readiness probe. */
export interface Call {
  kind: 'create' | 'read' | 'ready';
  id: string;
}

/** What one phase got. */
export interface HttpPhase {
  name: string;
  requests: number;
  statuses: Record<string, number>;
  /** Anything but 2xx. */
  errors: number;
  status503: number;
  non503FiveXx: number;
  /** Creates that answered 201. */
  created: number;
  proxy: ThrottleStats;
}

/** A phase's answers plus the ids it acknowledged (kept out of results). */
export interface PhaseRun {
  phase: Omit<HttpPhase, 'name' | 'proxy'>;
  acked: string[];
}

async function send(
  stack: StackProcess,
  call: Call,
): Promise<{ call: Call; status: number }> {
  const headers = {
    'x-api-key': stack.key,
    'content-type': 'application/json',
  };
  const init: RequestInit =
    call.kind === 'create'
      ? {
          method: 'POST',
          headers,
          body: JSON.stringify({
            id: call.id,
            source: 'feature/ddb',
            tenant_id: 'ddb',
          }),
        }
      : { headers };
  const path =
    call.kind === 'ready' ? '/v1/health/ready' : `/v1/intents/${call.id}`;
  const url = `${stack.url}${call.kind === 'create' ? '/v1/intents' : path}`;
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return { call, status: res.status };
  } catch {
    return { call, status: 0 };
  }
}

/**
 * Sends each sequence of `sequences` in order (a create before its read),
 * `concurrency` sequences at a time, and tallies the answers.
 */
export async function httpPhase(
  stack: StackProcess,
  sequences: Call[][],
  concurrency: number,
): Promise<PhaseRun> {
  const runs = await pool(
    sequences.map((seq) => async () => {
      const out = [];
      for (const call of seq) out.push(await send(stack, call));
      return out;
    }),
    concurrency,
  );
  const results = runs.flat();
  const statuses: Record<string, number> = {};
  for (const r of results) {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  const count = (p: (s: number) => boolean) =>
    results.filter((r) => p(r.status)).length;
  const acked = results
    .filter((r) => r.call.kind === 'create' && r.status === 201)
    .map((r) => r.call.id);
  const phase = {
    requests: results.length,
    statuses,
    errors: count((s) => s < 200 || s >= 300),
    status503: count((s) => s === 503),
    non503FiveXx: count((s) => s >= 500 && s !== 503),
    created: acked.length,
  };
  return { phase, acked };
}

/** Reads back every acknowledged create (throttling off). */
export async function readBack(stack: StackProcess, ids: string[]) {
  const reads = await pool(
    ids.map((id) => () => send(stack, { kind: 'read', id })),
    8,
  );
  return {
    acknowledged: ids.length,
    lost: reads.filter((r) => r.status !== 200).length,
  };
}
