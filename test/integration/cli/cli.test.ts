import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestRepo } from '../../support/git-repo.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'converge.mjs');
/** Each CLI run starts tsx: seconds apiece on a busy machine. */
const TEST_TIMEOUT_MS = 120_000;

interface Run {
  code: number | null;
  out: string;
  json: Record<string, unknown>;
}

describe('converge CLI: the original commands end to end', () => {
  let repo: TestRepo;
  let tmp: string;
  let db: string;

  beforeAll(() => {
    repo = new TestRepo();
    repo.commit({ 'README.md': 'hello\n' }, 'init');
    repo.branch('feature/cli', { 'src/cli.ts': 'export const x = 1;\n' });
    tmp = mkdtempSync(join(tmpdir(), 'converge-cli-'));
    db = join(tmp, 'state.db');
  });

  afterAll(() => {
    repo.remove();
    rmSync(tmp, { recursive: true, force: true });
  });

  function converge(...args: string[]): Run {
    const run = spawnSync(
      process.execPath,
      [BIN, '--db', db, '--repo', repo.dir, ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(run.stdout) as Record<string, unknown>;
    } catch {
      json = { raw: run.stdout, stderr: run.stderr };
    }
    return { code: run.status, out: run.stdout, json };
  }

  it(
    'creates from a branch, validates, runs the queue and shows MERGED',
    () => {
      // Act
      const created = converge(
        'intent',
        'create',
        '--from-branch',
        'feature/cli',
        '--priority',
        '1',
      );
      const id = String(created.json.id);
      const validated = converge(
        'validate',
        '--intent-id',
        id,
        '--skip-checks',
      );
      const evaluated = converge('policy', 'eval', '--intent-id', id);
      const queued = converge(
        'queue',
        'run',
        '--auto-confirm',
        '--skip-checks',
        '--target',
        'main',
      );
      const shown = converge('intent', 'show', '--intent-id', id);
      // Assess
      expect(created.code).toBe(0);
      expect(id).toMatch(/^branch-[0-9a-f]{12}$/);
      expect(created.json.source).toBe('feature/cli');
      expect(validated.json.decision).toBe('validated');
      expect(evaluated.code).toBe(0);
      expect(evaluated.json.mode).toMatch(/nothing appended/);
      expect(queued.code).toBe(0);
      expect(shown.json.status).toBe('MERGED');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'exits 3 on compliance alerts with --fail-on-alert',
    () => {
      // Arrange
      const file = join(tmp, 'intent.json');
      writeFileSync(
        file,
        JSON.stringify({
          id: 'orig-1',
          source: 'feature/cli',
          target: 'main',
          risk_level: 'low',
          priority: 2,
          semantic: { problem_statement: 'port' },
          technical: { scope_hint: ['src'] },
          dependencies: [],
          tenant_id: 't1',
          status: 'READY',
        }),
      );
      // Act
      const created = converge('intent', 'create', '--file', file);
      const set = converge(
        'compliance',
        'threshold-set',
        '--tenant-id',
        't1',
        '--max-queue-tracked',
        '0',
      );
      const alerts = converge(
        'compliance',
        'alerts',
        '--tenant-id',
        't1',
        '--fail-on-alert',
      );
      // Assess
      expect(created.json).toMatchObject({ id: 'orig-1', priority: 2 });
      expect(set.code).toBe(0);
      expect(alerts.code).toBe(3);
      expect(alerts.json.passed).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails with exit 1 on an unknown intent, bad JSON and a missing repo',
    () => {
      // Arrange
      const bad = join(tmp, 'bad.json');
      writeFileSync(bad, '{ not json');
      const notRepo = mkdtempSync(join(tmpdir(), 'converge-norepo-'));
      // Act
      const unknown = converge('intent', 'show', '--intent-id', 'nope');
      const badJson = converge('intent', 'create', '--file', bad);
      const noRepo = converge(
        '--repo',
        notRepo,
        'validate',
        '--intent-id',
        'nope',
      );
      rmSync(notRepo, { recursive: true, force: true });
      // Assess
      expect(unknown.code).toBe(1);
      expect(unknown.json.error).toBe('Intent nope not found');
      expect(badJson.code).toBe(1);
      expect(String(badJson.json.error)).toMatch(/is not valid JSON/);
      expect(noRepo.code).toBe(1);
      expect(noRepo.json.error).toBe(`not a git repository: ${notRepo}`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'versions the tenant risk policy on each set',
    () => {
      // Act
      const first = converge(
        'risk',
        'policy-set',
        '--tenant-id',
        't2',
        '--max-risk-score',
        '70',
      );
      converge('risk', 'policy-set', '--tenant-id', 't2', '--mode', 'enforce');
      const got = converge('risk', 'policy-get', '--tenant-id', 't2');
      // Assess
      expect(first.json.version).toBe(1);
      expect(got.json).toMatchObject({
        tenant_id: 't2',
        version: 2,
        max_risk_score: 70,
        mode: 'enforce',
      });
    },
    TEST_TIMEOUT_MS,
  );
});
