/**
 * The durability, recovery and bad-input KPIs of docs/readiness.md, and the
 * two fault scenarios the readiness suite adds (GitHub outage, DynamoDB
 * throttling).
 */
import { at, type Json, type Kpi, med, num, passOf } from './readiness-kpis.js';

const yes = (b: boolean) => (b ? 'equal' : 'DIFFERENT');

function phases(d: Json): Json[] {
  const list = at(d, 'phases');
  return Array.isArray(list) ? (list as Json[]) : [];
}

function httpPhases(d: Json): Json[] {
  const list = at(d, 'http.phases');
  return Array.isArray(list) ? (list as Json[]) : [];
}

function statuses(p: Json): string {
  const s = at(p, 'statuses');
  if (typeof s !== 'object' || s === null) return '';
  return Object.entries(s)
    .map(([code, n]) => `${n}×${code}`)
    .join(' ');
}

export const CHAOS_KPIS: Kpi[] = [
  {
    id: 'chaos-kill',
    what: 'concurrent writers 100 x 100 intents, kill -9 mid-run',
    seed: '100 writers, no loss',
    ours: '0 acknowledged writes lost; export hash equal after restart',
    file: 'chaos-kill',
    command: 'npx tsx load/chaos-kill.ts',
    measure: (d) => {
      const lost = num(d, 'lost');
      const digests = d.digestBefore === d.digestAfter;
      const exports = d.exportHashBefore === d.exportHashAfter;
      return {
        value: `${lost} lost of ${num(d, 'acknowledged')} acknowledged; intents digest ${yes(digests)}; export hash ${d.exportHashBefore === undefined ? 'not compared' : yes(exports)}`,
        spread: `1 run, ${num(d, 'writers')} writers x ${num(d, 'perWriter')}`,
        pass: passOf(d),
        seedPass: num(d, 'writers') >= 100 && lost === 0,
      };
    },
  },
  {
    id: 'webhook-burst',
    what: 'webhook burst, 500 concurrent, each delivery sent twice',
    seed: '120 concurrent, 0 5xx',
    ours: '0 5xx, every delivery stored exactly once',
    file: 'webhook-burst',
    command: 'npx tsx load/webhook-burst.ts',
    measure: (d) => {
      const b = at(d, 'burst');
      const fiveXx = num(b, 'fiveXx');
      const ms = med(b, 'burstMs', 'ms');
      return {
        value: `${fiveXx} 5xx; at least ${num(b, 'leastStoredOnce')}/${num(b, 'deliveries')} stored once per run (least ${num(b, 'leastAccepted202')}×202 and ${num(b, 'leastDuplicate200')}×duplicate)`,
        spread: `${num(b, 'requestsPerRun')} requests, ${num(b, 'concurrency')} in flight, burst ${ms.text} (${ms.spread}); ${num(b, 'runs')} runs`,
        pass: at(b, 'pass') === true,
        seedPass: num(b, 'concurrency') >= 120 && fiveXx === 0,
      };
    },
  },
  {
    id: 'chaos-lock',
    what: 'recovery: worker killed holding the lock',
    seed: '< 30 s',
    ours: 'next worker processes within the lock TTL (5 s); TTL configurable down to 5 s',
    file: 'chaos-lock',
    command: 'npx tsx load/chaos-lock.ts',
    measure: (d) => {
      const k = med(d, 'killToProgressMs', 'ms');
      const l = med(d, 'lockToProgressMs', 'ms');
      return {
        value: `kill → progress ${k.text} (TTL ${num(d, 'lockTtlSeconds')} s)`,
        spread: `${k.spread}, ${k.runs} runs, killed ${num(d, 'heldBeforeKillMs')} ms into the lease; worst case, lock taken → progress: ${l.text} (${l.spread}, bound ${num(d, 'target.lockToProgressMs')} ms)`,
        pass: passOf(d),
        seedPass: num(d, 'killToProgressMs.max') < 30_000,
      };
    },
  },
  {
    id: 'fuzz-input',
    what: 'malformed input: 10,000 generated bad requests over all routes',
    seed: 'n/a',
    ours: 'only 4xx, no 5xx, no state change',
    file: 'fuzz-input',
    command: 'npx tsx load/fuzz-input.ts',
    measure: (d) => ({
      value: `${num(d, 'fourXx')}/${num(d, 'requests')} 4xx, ${num(d, 'fiveXx')} 5xx, ${num(d, 'twoXxOr3xx')} 2xx/3xx, ${num(d, 'networkErrors')} network errors; state ${d.stateUnchanged === true ? 'unchanged' : 'CHANGED'}`,
      spread: `${num(d, 'routes')} routes, ${num(d, 'seconds')} s, seed ${num(d, 'seed')}; 1 run`,
      pass: passOf(d),
      seedPass: null,
    }),
  },
  {
    id: 'chaos-github',
    what: '(suite) GitHub unreachable: refused, then 503, 2 publishers',
    seed: 'no loss (DECISIONS 13)',
    ours: 'all published after recovery, none lost, none twice',
    file: 'chaos-github',
    command: 'npx tsx load/chaos-github.ts',
    measure: (d) => {
      const rec = med(d, 'recoveryMs', 'ms');
      const ps = phases(d);
      const lost = ps.reduce((s, p) => s + num(p, 'lost'), 0);
      const posts = ps.map(
        (p) =>
          `${p.fault}: ${num(p, 'checkRunPosts')} check runs / ${num(p, 'decisions')}`,
      );
      return {
        value: `recovery ${rec.text}; ${lost} lost; ${posts.join(', ')}`,
        spread: `${rec.spread} over ${rec.runs} fault kinds; outage ${num(ps[0], 'outageMs')} ms each`,
        pass: passOf(d),
        seedPass: lost === 0,
      };
    },
  },
  {
    id: 'chaos-dynamodb',
    what: '(suite) DynamoDB throttling through a proxy',
    seed: 'n/a',
    ours: 'retries absorb; beyond the budget TransientError / 503 only',
    file: 'chaos-dynamodb',
    command: 'npx tsx load/chaos-dynamodb.ts',
    measure: (d) => {
      const s = at(d, 'store.share');
      const byName = (n: string) =>
        httpPhases(d).find((p) => p.name === n) ?? {};
      return {
        value: `store: ${num(s, 'transient')}/${num(s, 'calls')} TransientError at ${num(s, 'share') * 100} % (expected ≈ ${Math.round(num(s, 'expectedFailureRate') * num(s, 'calls'))}), ${num(s, 'other')} other; http exhausted: ${statuses(byName('exhausted'))}; random 25 %: ${statuses(byName('random share'))}`,
        spread: `retries absorb: ${statuses(byName('retries absorb'))}; 1 run`,
        pass: passOf(d),
        seedPass: null,
      };
    },
  },
];
