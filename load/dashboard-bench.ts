/**
 * Governance reads over a large log (issue 8): GET /v1/dashboard's
 * projection and the compliance report over 100,000 events in a file SQLite
 * store (simulations, risk and policy evaluations, decisions over 48 h).
 * Run: `npx tsx load/dashboard-bench.ts [runs]` (default 10 after 2 warm-ups);
 * writes load/results/dashboard.json. No KPI is set; the record is the p95.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomIds } from '../shared/adapters/ids/random-ids.js';
import { SqliteStore } from '../shared/adapters/sqlite/sqlite-store.js';
import { buildEvent, type EventType } from '../shared/domain/event.js';
import { tenantCompliance } from '../shared/domain/projections/compliance.js';
import { dashboard } from '../shared/domain/projections/dashboard.js';
import { systemClock } from '../shared/ports/clock.js';
import { summarize, writeResult } from './bench-support.js';

const EVENTS = 100_000;
const runs = Number(process.argv[2] ?? 10);
const TYPES: EventType[] = [
  'simulation.completed',
  'risk.evaluated',
  'policy.evaluated',
  'intent.validated',
  'intent.merged',
];

function payloadOf(type: EventType, i: number): Record<string, unknown> {
  if (type === 'simulation.completed')
    return { mergeable: i % 7 !== 0, conflicts: [], files_changed: ['a.py'] };
  if (type === 'risk.evaluated') {
    return {
      risk_score: i % 80,
      damage_score: i % 60,
      entropy_score: i % 30,
      propagation_score: i % 50,
      containment_score: 0.8,
      signals: {},
      bombs: [],
    };
  }
  if (type === 'policy.evaluated')
    return { verdict: i % 5 === 0 ? 'BLOCK' : 'ALLOW', gates: [] };
  return { decision: type === 'intent.merged' ? 'merged' : 'validated' };
}

async function seed(store: SqliteStore): Promise<void> {
  const start = Date.now() - 48 * 3_600_000;
  for (let i = 0; i < EVENTS; i++) {
    const type = TYPES[i % TYPES.length] ?? 'intent.validated';
    const at = new Date(
      start + Math.floor((i * 48 * 3_600_000) / EVENTS),
    ).toISOString();
    await store.events.append(
      buildEvent(
        {
          type,
          tenantId: 'acme',
          intentId: `i-${i % 5000}`,
          payload: payloadOf(type, i),
          timestamp: at,
        },
        randomIds,
        at,
      ),
    );
  }
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    await fn();
    if (i >= 2) samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'converge-dashboard-bench-'));
  const store = SqliteStore.open({
    path: join(dir, 'c.db'),
    clock: systemClock,
  });
  try {
    await seed(store);
    const deps = { store, clock: systemClock };
    const dash = await time(() => dashboard(deps, 'acme'));
    const report = await time(() => tenantCompliance(deps, 'acme'));
    const p95 = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[
        Math.min(xs.length - 1, Math.floor(xs.length * 0.95))
      ] ?? 0;
    const data = {
      benchmark: 'dashboard and compliance report over 100,000 events',
      events: EVENTS,
      dashboardMs: { ...summarize(dash), p95: p95(dash) },
      complianceMs: { ...summarize(report), p95: p95(report) },
      loadAverage1m: loadavg()[0],
      at: new Date().toISOString(),
    };
    writeResult('dashboard', data);
    console.log(JSON.stringify(data, null, 2));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
