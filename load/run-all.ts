/**
 * `npm run bench`: runs every benchmark under load/ one after another (they
 * are bounded in count and time), then writes load/results/summary.md and
 * docs/readiness.md (load/readiness.ts, from every result present).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, ROOT } from './bench-support.js';

const BENCHES = [
  'risk-bench.ts',
  'store-bench.ts',
  'git-bench.ts',
  'validation-bench.ts',
  'provenance-bench.ts',
  'http-bench.ts',
  'http-tenants.ts',
  'webhook-burst.ts',
  'queue-drain-bench.ts',
  'dynamodb-bench.ts',
  'bundle-bench.ts',
];

function run(script: string): void {
  const path = join(ROOT, 'load', script);
  if (!existsSync(path)) return;
  console.log(`== ${script}`);
  try {
    execFileSync('npx', ['tsx', path], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    console.log(`${script} failed; see its output above`);
  }
}

function summary(): string {
  const lines = ['# Benchmark results', '', '| result | pass |', '|---|---|'];
  for (const file of readdirSync(RESULTS)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const data = JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as {
      pass?: boolean;
      scenarios?: { pass?: boolean }[];
    };
    const pass = data.pass ?? data.scenarios?.every((s) => s.pass === true);
    lines.push(
      `| ${file} | ${pass === undefined ? '-' : pass ? 'yes' : 'no'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

for (const bench of BENCHES) run(bench);
writeFileSync(join(RESULTS, 'summary.md'), summary());
console.log(summary());
run('readiness.ts');
