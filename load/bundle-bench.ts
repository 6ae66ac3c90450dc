/**
 * Lambda bundle budget (KPIS.md): every functions/*.ts bundled with esbuild
 * as the CDK stack does (minified ESM, node22, AWS SDK external), its size
 * (<= 1.5 MB) and its module init time in a cold node process (<= 150 ms,
 * median of 5). Run: `npx tsx load/bundle-bench.ts`; writes
 * load/results/bundles.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ROOT, summarize, writeResult } from './bench-support.js';

const MAX_BYTES = 1.5 * 1024 * 1024;
const MAX_INIT_MS = 150;
const COLD_RUNS = 5;
const BANNER =
  "import { createRequire as __cvgCreateRequire } from 'node:module'; const require = __cvgCreateRequire(import.meta.url);";

function initMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(
    process.execPath,
    ['--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      env: { ...process.env, POWERTOOLS_DEV: 'true', AWS_REGION: 'us-east-1' },
    },
  );
  return Number(out);
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
      const file = join(out, `${name}.mjs`);
      await build({
        entryPoints: [join(ROOT, 'functions', `${name}.ts`)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node22',
        minify: true,
        keepNames: true,
        mainFields: ['module', 'main'],
        banner: { js: BANNER },
        external: ['@aws-sdk/*', 'better-sqlite3'],
        outfile: file,
        logLevel: 'error',
      });
      const bytes = statSync(file).size;
      const init = summarize(
        Array.from({ length: COLD_RUNS }, () => initMs(file)),
      );
      rows.push({
        name,
        bytes,
        initMs: init,
        pass: bytes <= MAX_BYTES && init.median <= MAX_INIT_MS,
      });
      console.log(
        `${name}: ${(bytes / 1024).toFixed(0)} KiB, init median ${init.median.toFixed(1)} ms`,
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
    at: new Date().toISOString(),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
