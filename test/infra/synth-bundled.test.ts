import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRouteManifest } from '../../bin/route-manifest.js';
import {
  ConvergeStack,
  FUNCTIONS_DIR,
  PROJECT_ROOT,
} from '../../lib/converge-stack.js';
import { discoverFunctions } from '../../lib/function-catalog.js';
import { configOf } from './stack-fixtures.js';

/** Lambda's limit is 50 MB zipped; ours keeps cold starts short. */
const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;

interface Bundle {
  logicalId: string;
  file: string;
  bytes: number;
}

let workDir: string;
let bundles: Bundle[];
let expectedCount: number;

function bundleOf(outdir: string, logicalId: string, code: unknown): Bundle {
  const key = (code as { S3Key?: unknown }).S3Key;
  const hash = typeof key === 'string' ? key.replace(/\.zip$/, '') : '';
  const file = join(outdir, `asset.${hash}`, 'index.mjs');
  return { logicalId, file, bytes: existsSync(file) ? statSync(file).size : 0 };
}

beforeAll(async () => {
  // Prepare: the dev stack exactly as `cdk synth -c env=dev` builds it.
  workDir = mkdtempSync(join(tmpdir(), 'converge-synth-'));
  const outdir = join(workDir, 'cdk.out');
  const app = new App({ outdir });
  const functions = discoverFunctions(FUNCTIONS_DIR);
  expectedCount = functions.length;
  new ConvergeStack(app, 'Converge-dev', {
    config: configOf('dev'),
    routes: await loadRouteManifest(),
    functions,
  });
  // Act: bundles every function with the local esbuild (no Docker).
  const template = app.synth().getStackByName('Converge-dev').template as {
    Resources: Record<string, { Type: string; Properties: { Code?: unknown } }>;
  };
  bundles = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]) => bundleOf(outdir, id, r.Properties.Code));
  const sizes = bundles.map(
    (b) => `${b.logicalId} ${(b.bytes / 1024).toFixed(0)} KiB`,
  );
  console.info(`bundles:\n  ${sizes.join('\n  ')}`);
}, 300_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('ConvergeStack: real esbuild bundling (dev)', () => {
  it('bundles each function file into one ESM file of at most 1.5 MB', () => {
    expect(bundles).toHaveLength(expectedCount);
    for (const bundle of bundles) {
      expect(existsSync(bundle.file), bundle.logicalId).toBe(true);
      expect(bundle.bytes, bundle.logicalId).toBeGreaterThan(0);
      expect(bundle.bytes, bundle.logicalId).toBeLessThanOrEqual(
        MAX_BUNDLE_BYTES,
      );
      expect(existsSync(`${bundle.file}.map`), bundle.logicalId).toBe(true);
    }
  });

  it('starts every bundle with the createRequire banner and never imports better-sqlite3', () => {
    for (const bundle of bundles) {
      const code = readFileSync(bundle.file, 'utf8');
      expect(
        code.startsWith(
          "import { createRequire as __cvgCreateRequire } from 'node:module';",
        ),
      ).toBe(true);
      expect(code, bundle.logicalId).not.toMatch(/["']better-sqlite3["']/);
    }
  });

  it('loads every bundle as an ES module exporting a handler function', () => {
    // Prepare: the bundles next to node_modules, as the runtime resolves
    // the external @aws-sdk/* packages.
    const dir = join(workDir, 'load');
    mkdirSync(dir);
    symlinkSync(
      join(PROJECT_ROOT, 'node_modules'),
      join(dir, 'node_modules'),
      'dir',
    );
    const files = bundles.map((b) => {
      const target = join(dir, `${b.logicalId}.mjs`);
      copyFileSync(b.file, target);
      return target;
    });
    const script = [
      'const out = {};',
      'for (const f of process.argv.slice(1)) {',
      '  const m = await import(f);',
      '  out[f] = typeof m.handler;',
      '}',
      'console.log(JSON.stringify(out));',
    ].join('\n');
    // Act: a child process, so no handler module leaks into this worker.
    const stdout = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, ...files],
      { encoding: 'utf8', env: { ...process.env, POWERTOOLS_DEV: 'true' } },
    );
    // Assess
    const kinds = JSON.parse(
      stdout.trim().split('\n').at(-1) ?? '{}',
    ) as Record<string, string>;
    expect(Object.values(kinds)).toEqual(files.map(() => 'function'));
  });
});
