/**
 * Lambda bundle budget (KPIS.md): every functions/*.ts bundled with esbuild
 * with the CDK stack's own settings (`BUNDLING` of
 * lib/constructs/lambda-function.ts: minified ESM, node22, source maps, AWS
 * SDK external), its size (<= 1.5 MB) and its module init time in a cold
 * node process (<= 150 ms, median of 5) started as Lambda starts it: the
 * function's base environment (`--enable-source-maps`, Powertools names),
 * `AWS_LAMBDA_FUNCTION_NAME` and `AWS_EXECUTION_ENV` set (so the tracer is
 * on), the external SDK resolved from node_modules as the runtime's own.
 * CPU time of the same runs and the external packages loaded at init are
 * recorded too, and for health the init plus a first request (what init
 * defers is paid there). Run: `npx tsx load/bundle-bench.ts`; writes
 * load/results/bundles.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import {
  BASE_ENVIRONMENT,
  BUNDLING,
} from '../lib/constructs/lambda-function.js';
import { ROOT, summarize, writeResult } from './bench-support.js';

const MAX_BYTES = 1.5 * 1024 * 1024;
const MAX_INIT_MS = 150;
const COLD_RUNS = 5;

/** esbuild options equivalent to NodejsFunction's with `BUNDLING`. */
function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: BUNDLING.format === 'cjs' ? 'cjs' : 'esm',
    target: BUNDLING.target ?? 'node22',
    minify: BUNDLING.minify ?? false,
    keepNames: BUNDLING.keepNames ?? false,
    sourcemap: BUNDLING.sourceMap ?? false,
    sourcesContent: BUNDLING.sourcesContent ?? true,
    mainFields: BUNDLING.mainFields ?? ['module', 'main'],
    ...(BUNDLING.banner ? { banner: { js: BUNDLING.banner } } : {}),
    external: BUNDLING.externalModules ?? ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'error',
  };
}

/** The environment of a cold start of `name` (no credentials, no I/O). */
function lambdaEnv(name: string): NodeJS.ProcessEnv {
  const { POWERTOOLS_DEV: _dev, ...inherited } = process.env;
  return {
    ...inherited,
    ...BASE_ENVIRONMENT,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: `converge-bench-${name}`,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    TABLE_NAME: 'converge-bench',
  };
}

/**
 * Requests a bundle can answer with no I/O at all (no store, no network),
 * timed with the init before them: the cold start a caller sees. What a
 * function defers from init runs here, on its first invocation.
 */
const FIRST_REQUESTS: Readonly<Record<string, string>> = {
  health: join(ROOT, 'events', 'health-get.json'),
};

const CONTEXT = {
  awsRequestId: 'bench',
  functionName: 'converge-bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: '1024',
  logGroupName: 'bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
};

/** Child script: import `file`, optionally invoke it with `event`. */
function coldScript(file: string, event?: string): string {
  const invoke = event
    ? [
        `const e = JSON.parse(readFileSync(${JSON.stringify(event)}, 'utf8'));`,
        `const ctx = { ...${JSON.stringify(CONTEXT)}, getRemainingTimeInMillis: () => 29000 };`,
        // Logs and EMF metrics go to stdout; only the figures are printed.
        'process.stdout.write = () => true;',
        'const res = await m.handler(e, ctx);',
        "if (res.statusCode !== 200) throw new Error('status ' + res.statusCode);",
      ]
    : [];
  return [
    "import { readFileSync, writeSync } from 'node:fs';",
    'const c = process.cpuUsage(); const t = performance.now();',
    `const m = await import(${JSON.stringify(file)});`,
    ...invoke,
    'const w = performance.now() - t; const u = process.cpuUsage(c);',
    'writeSync(1, JSON.stringify([w, (u.user + u.system) / 1000]));',
  ].join(' ');
}

/** One cold process: wall-clock and CPU (user + system) time in ms. */
function coldRun(file: string, env: NodeJS.ProcessEnv, event?: string) {
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', coldScript(file, event)],
    { encoding: 'utf8', env },
  );
  const [wallMs, cpuMs] = JSON.parse(out) as [number, number];
  return { wallMs, cpuMs };
}

/** Packages a bundle imports statically: loaded at module init. */
function initExternals(meta: Metafile): string[] {
  const output = Object.values(meta.outputs).find((o) => o.entryPoint);
  const names = (output?.imports ?? [])
    .filter((i) => i.external && i.kind === 'import-statement')
    .map((i) => i.path)
    .filter((p) => !isBuiltin(p));
  return [...new Set(names)].sort();
}

async function benchOne(out: string, name: string) {
  const file = join(out, `${name}.mjs`);
  const result = await build(
    esbuildOptions(join(ROOT, 'functions', `${name}.ts`), file),
  );
  const bytes = statSync(file).size;
  const env = lambdaEnv(name);
  const runs = Array.from({ length: COLD_RUNS }, () => coldRun(file, env));
  const init = summarize(runs.map((r) => r.wallMs));
  const event = FIRST_REQUESTS[name];
  // No X-Ray daemon here: the tracer is off for the invocation runs.
  const probeEnv = { ...env, POWERTOOLS_TRACE_ENABLED: 'false' };
  const first = event
    ? Array.from({ length: COLD_RUNS }, () => coldRun(file, probeEnv, event))
    : [];
  return {
    name,
    bytes,
    initMs: init,
    initCpuMs: summarize(runs.map((r) => r.cpuMs)),
    initExternals: result.metafile ? initExternals(result.metafile) : [],
    ...(event
      ? {
          initAndFirstRequestMs: summarize(first.map((r) => r.wallMs)),
          initAndFirstRequestCpuMs: summarize(first.map((r) => r.cpuMs)),
        }
      : {}),
    pass: bytes <= MAX_BYTES && init.median <= MAX_INIT_MS,
  };
}

async function main(): Promise<void> {
  // Inside the repo so the external AWS SDK resolves from node_modules, as
  // it does from the Lambda runtime.
  mkdirSync(join(ROOT, 'cdk.out'), { recursive: true });
  const out = mkdtempSync(join(ROOT, 'cdk.out', 'bench-bundles-'));
  const names = readdirSync(join(ROOT, 'functions'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));
  const rows = [];
  try {
    for (const name of names) {
      const row = await benchOne(out, name);
      rows.push(row);
      const first = row.initAndFirstRequestMs
        ? `, init + first request ${row.initAndFirstRequestMs.median.toFixed(1)} ms`
        : '';
      console.log(
        `${name}: ${(row.bytes / 1024).toFixed(0)} KiB, init median ${row.initMs.median.toFixed(1)} ms (cpu ${row.initCpuMs.median.toFixed(1)} ms)${first}, loads at init: ${row.initExternals.join(' ') || '-'}`,
      );
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  writeResult('bundles', {
    benchmark: 'Lambda bundles: size and cold module init',
    maxBytes: MAX_BYTES,
    maxInitMs: MAX_INIT_MS,
    bundles: rows,
    pass: rows.every((r) => r.pass),
    loadAverage: loadavg(),
    at: new Date().toISOString(),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
