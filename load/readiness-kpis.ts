/**
 * The KPI rows of docs/readiness.md: each KPI of shared/spec/KPIS.md (plus
 * the two fault scenarios of the readiness suite), the result file that
 * measures it and how to read that file.
 */

export type Json = Record<string, unknown>;

/** What a result file says about one KPI. */
export interface Measured {
  value: string;
  spread: string;
  /** Our (stricter) target met; null when not measured. */
  pass: boolean | null;
  /** The seed's target met; null when the seed has none or it is unknown. */
  seedPass: boolean | null;
}

/** One row of the KPI table. */
export interface Kpi {
  id: string;
  what: string;
  seed: string;
  ours: string;
  /** load/results/<file>.json */
  file: string;
  command: string;
  measure(data: Json): Measured | null;
}

/** The value at a dotted path, or undefined. */
export function at(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

export function num(data: unknown, path: string): number {
  const v = at(data, path);
  return typeof v === 'number' ? v : Number.NaN;
}

/** Rounded for the table; `?` when missing. */
export const r = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? String(Math.round(n * 10 ** digits) / 10 ** digits)
    : '?';

/** `median` of a summarize() block with its `min–max, runs`. */
export function med(data: unknown, path: string, unit: string) {
  const median = num(data, `${path}.median`);
  const spread = `${r(num(data, `${path}.min`))}–${r(num(data, `${path}.max`))} ${unit}`;
  return {
    median,
    text: `${r(median)} ${unit}`,
    spread,
    runs: num(data, `${path}.runs`),
  };
}

function scenario(data: Json, name: string): Json | undefined {
  const list = data.scenarios;
  if (!Array.isArray(list)) return undefined;
  return list.find((s): s is Json => at(s, 'name') === name);
}

function percentiles(s: unknown, limit: number, seedLimit: number | null) {
  const p95 = num(s, 'p95Ms');
  return {
    value: `p95 ${r(p95, 3)} ms`,
    spread: `p50 ${r(num(s, 'p50Ms'), 3)} ms, max ${r(num(s, 'maxMs'), 3)} ms; ${num(s, 'runs') || num(s, 'reads')} samples in 1 run`,
    pass: p95 <= limit,
    seedPass: seedLimit === null ? null : p95 < seedLimit,
  };
}

function load(
  data: unknown,
  path: string,
  target: { rps: number; p99: number },
) {
  const rps = med(data, `${path}requestsPerSecond`, 'req/s');
  const p99 = med(data, `${path}p99Ms`, 'ms');
  const closed = med(data, `${path}closedLoopP99Ms`, 'ms');
  const offered = num(data, `${path}pacedRateRps`);
  const errors =
    num(data, `${path}non2xxOrErrors`) || num(data, `${path}errors`) || 0;
  return {
    value: `capacity ${rps.text} (closed loop); p99 ${p99.text} at ${r(offered, 0)} req/s offered (open loop); ${errors} errors`,
    spread: `${rps.spread} (${rps.runs} runs); p99 ${p99.spread} (${p99.runs} runs); closed-loop p99 ${closed.text} (${closed.spread})`,
    pass: rps.median >= target.rps && p99.median <= target.p99 && errors === 0,
    rps: rps.median,
    p99: p99.median,
    errors,
  };
}

export const passOf = (d: Json) =>
  typeof d.pass === 'boolean' ? d.pass : null;

/** The benchmark KPIs of KPIS.md (the chaos ones: readiness-chaos-kpis.ts). */
export const BENCH_KPIS: Kpi[] = [
  {
    id: 'risk-200',
    what: 'risk evaluation, 200 files / 20 dirs, 5 hints, 50 pairs',
    seed: 'n/a',
    ours: 'p95 <= 5 ms',
    file: 'risk',
    command: 'npx tsx load/risk-bench.ts',
    measure: (d) => {
      const s = scenario(d, 'risk-200-files');
      return s ? percentiles(s, 5, null) : null;
    },
  },
  {
    id: 'risk-2000',
    what: 'risk evaluation, 2,000 files / 100 dirs',
    seed: 'n/a',
    ours: 'p95 <= 150 ms, memory < 200 MB',
    file: 'risk',
    command: 'npx tsx load/risk-bench.ts',
    measure: (d) => {
      const s = scenario(d, 'risk-2000-files');
      if (!s) return null;
      const p = percentiles(s, 150, null);
      const rss = num(s, 'peakRssMb');
      return {
        ...p,
        value: `${p.value}, peak RSS ${r(rss)} MB`,
        pass: p.pass && rss < 200,
      };
    },
  },
  {
    id: 'validation',
    what: 'validation end to end, 5,000-file repo, 200 changed, checks skipped',
    seed: 'P95 < 2 s',
    ours: 'p95 <= 150 ms',
    file: 'validation',
    command: 'npx tsx load/validation-bench.ts',
    measure: (d) => {
      const p95 = num(d, 'p95Ms');
      const m = med(d, 'ms', 'ms');
      return {
        value: `p95 ${r(p95, 2)} ms`,
        spread: `median ${m.text}, ${m.spread}; ${m.runs} runs`,
        pass: passOf(d),
        seedPass: p95 < 2000,
      };
    },
  },
  {
    id: 'http-read',
    what: 'HTTP read GET /v1/intents/{id}, 50 connections',
    seed: '> 50 req/s, P99 < 500 ms',
    ours: '>= 2,000 req/s, p99 <= 20 ms',
    file: 'http-read',
    command: 'npx tsx load/http-bench.ts',
    measure: (d) => {
      const l = load(d, '', { rps: 2000, p99: 20 });
      return { ...l, seedPass: l.rps > 50 && l.p99 < 500 };
    },
  },
  {
    id: 'webhook-ingest',
    what: 'signed webhook ingest (pull_request opened), 200 connections',
    seed: '> 30 req/s, 0 5xx',
    ours: '>= 800 req/s, p99 <= 50 ms, 0 errors',
    file: 'webhook-burst',
    command: 'npx tsx load/webhook-burst.ts',
    measure: (d) => {
      const l = load(d, 'ingest.', { rps: 800, p99: 50 });
      const fiveXx = num(d, 'ingest.fiveXx');
      const timeouts = num(d, 'ingest.timeouts');
      return {
        ...l,
        value: `${l.value} (${Number.isNaN(timeouts) ? '?' : timeouts} of them > 10 s timeouts, ${Number.isNaN(fiveXx) ? '?' : fiveXx} 5xx)`,
        seedPass: l.rps > 30 && fiveXx === 0,
      };
    },
  },
  {
    id: 'http-tenants',
    what: '(suite) HTTP reads and writes, 3 tenants with different risk policies, 50 connections',
    seed: 'n/a',
    ours: 'no 5xx or unexpected status; cross-tenant reads 403; each write listed under its tenant only; each policy decides its tenant',
    file: 'http-tenants',
    command: 'npx tsx load/http-tenants.ts',
    measure: (d) => {
      const risky = at(d, 'risky');
      return {
        value: `${num(d, 'expected')}/${num(d, 'requests')} as expected, ${num(d, 'fiveXx')} 5xx; writes listed under their tenant: ${d.writesListed === true ? 'yes' : 'NO'}; risky change: ${JSON.stringify(risky)}`,
        spread: `${r(num(d, 'requestsPerSecond'))} req/s, p99 ${num(d, 'p99Ms')} ms (closed loop); ${num(d, 'seconds')} s, 1 run`,
        pass: passOf(d),
        seedPass: null,
      };
    },
  },
  {
    id: 'store-read',
    what: 'intent read from the SQLite store',
    seed: 'status read P95 < 5 ms',
    ours: 'p95 <= 0.5 ms',
    file: 'store',
    command: 'npx tsx load/store-bench.ts',
    measure: (d) => percentiles(d, 0.5, 5),
  },
  {
    id: 'provenance',
    what: 'provenance verification, record with 10 claims',
    seed: 'P95 < 150 ms',
    ours: 'p95 <= 15 ms',
    file: 'provenance',
    command: 'npx tsx load/provenance-bench.ts',
    measure: (d) => percentiles(d, 15, 150),
  },
  {
    id: 'queue-drain',
    what: 'queue drain, 1,000 validated intents on one branch, checks skipped',
    seed: '>= 5x baseline',
    ours: '>= 100 intents/s',
    file: 'queue-drain',
    command: 'npx tsx load/queue-drain-bench.ts',
    measure: (d) => ({
      value: `${r(num(d, 'intentsPerSecond'))} intents/s (${num(d, 'merged')}/${num(d, 'intents')} merged)`,
      spread: `${r(num(d, 'perIntentMs'), 2)} ms per intent, git share ${r(num(d, 'scmShare') * 100, 0)} %; 1 run`,
      pass: passOf(d),
      seedPass: null,
    }),
  },
  {
    id: 'bundle',
    what: 'each Lambda bundle (esbuild, minified)',
    seed: 'n/a',
    ours: '<= 1.5 MB, module init <= 150 ms',
    file: 'bundles',
    command: 'npx tsx load/bundle-bench.ts',
    measure: (d) => {
      const list = Array.isArray(d.bundles) ? d.bundles : [];
      const sizes = list.map((b) => num(b, 'bytes') / 1024 / 1024);
      const inits = list.map((b) => num(b, 'initMs.median'));
      return {
        value: `largest ${r(Math.max(...sizes), 2)} MB, slowest init median ${r(Math.max(...inits))} ms`,
        spread: `${list.length} bundles: ${r(Math.min(...sizes), 2)}–${r(Math.max(...sizes), 2)} MB, init medians ${r(Math.min(...inits))}–${r(Math.max(...inits))} ms (5 cold starts each)`,
        pass: passOf(d),
        seedPass: null,
      };
    },
  },
];
