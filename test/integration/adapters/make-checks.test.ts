import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MakeChecks } from '../../../shared/adapters/make/make-checks.js';

/** Recipes are tab-indented; `$$` is a literal `$` for the shell. */
const MAKEFILE = [
  'lint:',
  '\t@echo lint ok',
  'test:',
  '\t@echo some stdout; echo boom >&2; exit 1',
  'test-integration:',
  "\t@sh -c 'echo $$$$ > sleeper.pid; exec sleep 30'",
  'security-scan:',
  "\t@i=0; while [ $$i -lt 500 ]; do echo 'finding finding'; i=$$((i+1)); done >&2; exit 2",
  'test-contract:',
  '\t@echo ref=$$CONVERGE_CHECK_REF sha=$$CONVERGE_CHECK_SHA',
  '',
].join('\n');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('MakeChecks', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'converge-make-'));
    writeFileSync(join(dir, 'Makefile'), MAKEFILE);
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Method: run', () => {
    it('passes on exit 0 with stdout in details', async () => {
      // Act
      const [lint] = await new MakeChecks({ cwd: dir }).run(['lint'], {});
      // Assess
      expect(lint).toMatchObject({ check: 'lint', status: 'passed' });
      expect(lint?.details).toContain('lint ok');
      expect(lint?.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('fails on a non-zero exit with stderr and stdout in details', async () => {
      const [unit] = await new MakeChecks({ cwd: dir }).run(['unit_tests'], {});
      expect(unit).toMatchObject({ check: 'unit_tests', status: 'failed' });
      expect(unit?.details).toContain('boom');
      expect(unit?.details).toContain('some stdout');
    });

    it('fails with "timed out" and kills the whole process group', async () => {
      // Prepare
      const checks = new MakeChecks({ cwd: dir, timeoutMs: 1000 });
      // Act
      const [integration] = await checks.run(['integration_tests'], {});
      // Assess
      expect(integration?.status).toBe('failed');
      expect(integration?.details).toContain('timed out');
      expect(integration?.durationMs).toBeLessThan(5000);
      const sleeper = Number(readFileSync(join(dir, 'sleeper.pid'), 'utf8'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(isAlive(sleeper)).toBe(false);
    });

    it('records an unknown check as skipped with a reason, in request order', async () => {
      const results = await new MakeChecks({ cwd: dir }).run(
        ['lint', 'mutation_tests', 'contract_tests'],
        {},
      );
      expect(results.map((r) => [r.check, r.status])).toEqual([
        ['lint', 'passed'],
        ['mutation_tests', 'skipped'],
        ['contract_tests', 'passed'],
      ]);
      expect(results[1]?.details).toContain('unknown check');
      expect(results[1]?.durationMs).toBe(0);
    });

    it('fails with "make not found" when the binary is missing', async () => {
      const checks = new MakeChecks({
        cwd: dir,
        makeBinary: join(dir, 'no-such-make'),
      });
      const [lint] = await checks.run(['lint'], {});
      expect(lint?.status).toBe('failed');
      expect(lint?.details).toContain('make not found');
    });

    it('fails with a clear reason when the work tree is missing', async () => {
      const checks = new MakeChecks({ cwd: join(dir, 'gone') });
      const [lint] = await checks.run(['lint'], {});
      expect(lint?.status).toBe('failed');
      expect(lint?.details).toContain('working directory not found');
    });

    it('caps details at 2000 characters by default', async () => {
      const [scan] = await new MakeChecks({ cwd: dir }).run(
        ['security_scan'],
        {},
      );
      expect(scan?.status).toBe('failed');
      expect(scan?.details.length).toBe(2000);
      expect(scan?.details.startsWith('finding finding')).toBe(true);
      expect(scan?.details.endsWith('[truncated]')).toBe(true);
    });

    it('honours a custom output cap', async () => {
      const checks = new MakeChecks({ cwd: dir, outputCap: 100 });
      const [scan] = await checks.run(['security_scan'], {});
      expect(scan?.details.length).toBe(100);
    });

    it('hands the ref and SHA under test to the Makefile', async () => {
      const [contract] = await new MakeChecks({ cwd: dir }).run(
        ['contract_tests'],
        { ref: 'feature/x', sha: 'abc123' },
      );
      expect(contract?.details.trim()).toBe('ref=feature/x sha=abc123');
    });

    it('does not wait for a background process that keeps the pipes open', async () => {
      // Prepare
      writeFileSync(
        join(dir, 'Makefile'),
        'lint:\n\t@sleep 30 & echo started\n',
      );
      // Act
      const [lint] = await new MakeChecks({ cwd: dir }).run(['lint'], {});
      // Assess
      expect(lint?.status).toBe('passed');
      expect(lint?.details).toContain('started');
      expect(lint?.durationMs).toBeLessThan(5000);
    });
  });
});
