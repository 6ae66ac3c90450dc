/**
 * Benchmark of the pure risk evaluation (shared/spec/KPIS.md):
 * - 200 changed files in 20 directories, 5 scope hints, 50 co-change pairs:
 *   target p95 <= 5 ms;
 * - 2,000 changed files in 100 directories (same hints and pairs):
 *   target p95 <= 150 ms and memory < 200 MB.
 *
 * Run: `npx tsx load/risk-bench.ts [runs]` (default 200 runs per scenario
 * after warm-ups). Prints p50/p95 and writes load/results/risk.json. Bounded:
 * a fixed number of in-process runs, no I/O besides the result file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateRisk, type RiskInput } from '../shared/domain/risk/index.js';

interface Scenario {
  readonly name: string;
  readonly files: number;
  readonly directories: number;
  readonly targetP95Ms: number;
  readonly memoryLimitMb?: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'risk-200-files', files: 200, directories: 20, targetP95Ms: 5 },
  {
    name: 'risk-2000-files',
    files: 2000,
    directories: 100,
    targetP95Ms: 150,
    memoryLimitMb: 200,
  },
];
const SCOPE_HINTS = ['mod1', 'auth', 'api', 'mod7', 'core'];
const CO_CHANGE_PAIRS = 50;
const WARM_UPS = 50;
const runs = Number(process.argv[2] ?? 200);

/** Deterministic pseudo-random numbers (LCG), so every run sees one input. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function buildInput(scenario: Scenario): RiskInput {
  const perDirectory = scenario.files / scenario.directories;
  const files = Array.from(
    { length: scenario.files },
    (_, i) => `src/mod${Math.floor(i / perDirectory)}/file${i}.ts`,
  );
  const next = sequence(42);
  const pick = () => files[Math.floor(next() * files.length)] ?? '';
  const coChange = Array.from({ length: CO_CHANGE_PAIRS }, (_, i) => ({
    a: pick(),
    b: i % 5 === 0 ? `lib/shared/util${i}.ts` : pick(),
    count: 2 + Math.floor(next() * 10),
  }));
  return {
    intentId: 'bench-001',
    source: 'feature/bench',
    target: 'main',
    riskLevel: 'medium',
    dependencies: [],
    scopeHints: SCOPE_HINTS,
    filesChanged: files,
    conflicts: [],
    coChange,
  };
}

/** The value at index int(n * q) of the sorted samples (reference §10). */
function percentile(sorted: readonly number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.floor(sorted.length * q));
  return sorted[index] ?? Number.NaN;
}

const round = (value: number): number => Math.round(value * 100) / 100;
const megabytes = (bytes: number): number => round(bytes / 1024 / 1024);

function runScenario(scenario: Scenario) {
  const input = buildInput(scenario);
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  let peakRss = process.memoryUsage().rss;
  let peakHeap = process.memoryUsage().heapUsed;
  let graph = { nodes: 0, edges: 0 };
  for (let i = 0; i < WARM_UPS + runs; i += 1) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const evaluation = evaluateRisk(input);
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
    graph = {
      nodes: evaluation.graphMetrics.nodes,
      edges: evaluation.graphMetrics.edges,
    };
    if (i >= WARM_UPS) {
      samples.push(elapsed);
      cpuSamples.push((cpu.user + cpu.system) / 1000);
    }
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const cpuSorted = [...cpuSamples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 0.95);
  const memoryOk =
    scenario.memoryLimitMb === undefined ||
    megabytes(peakRss) < scenario.memoryLimitMb;
  return {
    name: scenario.name,
    filesChanged: scenario.files,
    directories: scenario.directories,
    scopeHints: SCOPE_HINTS.length,
    coChangePairs: CO_CHANGE_PAIRS,
    graph,
    runs,
    warmUps: WARM_UPS,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(p95),
    minMs: round(sorted[0] ?? Number.NaN),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    // CPU time of the process during each run: wall time minus time spent
    // descheduled on a busy machine (GC helper threads count too).
    cpuP50Ms: round(percentile(cpuSorted, 0.5)),
    cpuP95Ms: round(percentile(cpuSorted, 0.95)),
    targetP95Ms: scenario.targetP95Ms,
    peakRssMb: megabytes(peakRss),
    peakHeapUsedMb: megabytes(peakHeap),
    memoryLimitMb: scenario.memoryLimitMb ?? null,
    pass: p95 <= scenario.targetP95Ms && memoryOk,
  };
}

const results = SCENARIOS.map(runScenario);
const report = {
  benchmark: 'evaluateRisk',
  node: process.version,
  at: new Date().toISOString(),
  // Wall-clock percentiles depend on what else runs: record the context.
  cpuCount: cpus().length,
  loadAverage1m: round(loadavg()[0] ?? Number.NaN),
  scenarios: results,
};
const outDir = join(dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'risk.json'),
  `${JSON.stringify(report, null, 2)}\n`,
);
for (const r of results) {
  console.log(
    `${r.name}: ${r.graph.nodes} nodes, ${r.graph.edges} edges, ${r.runs} runs: ` +
      `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms (CPU p95 ${r.cpuP95Ms} ms), ` +
      `peak RSS ${r.peakRssMb} MB ` +
      `(target p95 <= ${r.targetP95Ms} ms: ${r.pass ? 'pass' : 'FAIL'})`,
  );
}
if (results.some((r) => !r.pass)) process.exitCode = 1;
