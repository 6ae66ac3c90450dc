/**
 * `npm run chaos`: the recovery, fault and bad-input scripts under load/,
 * one after another (each is bounded in count and time and stops what it
 * started): chaos-kill, chaos-lock, chaos-github, chaos-dynamodb,
 * fuzz-input. Each writes load/results/<name>.json; `npm run readiness`
 * turns them into docs/readiness.md. Exits 1 when a scenario missed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './bench-support.js';

const SCRIPTS = [
  'chaos-kill.ts',
  'chaos-lock.ts',
  'chaos-github.ts',
  'chaos-dynamodb.ts',
  'fuzz-input.ts',
];

const outcomes: string[] = [];
for (const script of SCRIPTS) {
  console.log(`== ${script}`);
  const run = spawnSync('npx', ['tsx', join(ROOT, 'load', script)], {
    cwd: ROOT,
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  const ok = run.status === 0;
  outcomes.push(`${ok ? 'pass' : 'FAIL'}\t${script}`);
  if (!ok) process.exitCode = 1;
}
console.log(outcomes.join('\n'));
