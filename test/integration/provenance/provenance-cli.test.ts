import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openProvenanceHarness,
  type ProvenanceHarness,
} from './provenance-harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
/** Each CLI run starts tsx: seconds apiece on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

describe('converge CLI: provenance, export, archaeology', () => {
  let h: ProvenanceHarness;
  beforeEach(() => {
    h = openProvenanceHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  function converge(...args: string[]) {
    const run = spawnSync(
      TSX,
      [
        join(ROOT, 'bin', 'converge.ts'),
        '--db',
        h.dbPath,
        '--repo',
        h.repo.dir,
        ...args,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    return { code: run.status, out: run.stdout, err: run.stderr };
  }

  it(
    'shows a record, verifies it (exit 0) and fails a forged copy (exit 1)',
    async () => {
      // Prepare
      await h.mergeBranch('A', { 'a.py': 'x\n' });
      const file = join(h.repo.dir, 'prov.json');
      const show = converge('provenance', 'show', '--intent-id', 'A');
      writeFileSync(file, show.out);
      const record = JSON.parse(readFileSync(file, 'utf8'));
      const forgedFile = `${file}.forged`;
      writeFileSync(
        forgedFile,
        JSON.stringify({ ...record, base_sha: record.head_sha }),
      );
      // Act
      const good = converge('provenance', 'verify', file);
      const bad = converge('provenance', 'verify', forgedFile, '--verbose');
      // Assess
      expect(show.code).toBe(0);
      expect(good.code).toBe(0);
      expect(good.out).toMatch(/^\[PASS\] record_hash: /);
      expect(good.out).not.toContain('[FAIL]');
      expect(good.out).toContain('18/18 claims passed: provenance verified');
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`[FAIL] base_sha: ${record.head_sha}`);
      expect(bad.out).toContain(`        Actual:   ${record.base_sha}`);
      expect(bad.out).toContain('        Mismatch: ');
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'exports CSV to a file and writes the archaeology snapshot',
    () => {
      // Prepare
      const out = join(h.repo.dir, 'export', 'd.csv');
      // Act
      const exported = converge(
        'export',
        'decisions',
        '--format',
        'csv',
        '--output',
        out,
      );
      const arch = converge('archaeology', '--top', '1', '--write-snapshot');
      // Assess
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.out)).toMatchObject({
        format: 'csv',
        rows: 0,
      });
      expect(readFileSync(out, 'utf8')).toMatch(/^intent_id,status,/);
      expect(arch.code).toBe(0);
      const snapshot = JSON.parse(
        readFileSync(
          join(h.repo.dir, '.converge', 'archaeology_snapshot.json'),
          'utf8',
        ),
      );
      expect(snapshot).toMatchObject({
        commits: 1,
        bus_factor: 1,
        coupling: [],
      });
    },
    CLI_TIMEOUT_MS,
  );
});
