import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import { MakeChecks } from '../../../shared/adapters/make/make-checks.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../../../shared/domain/engine/engine-deps.js';
import { processQueue } from '../../../shared/domain/engine/process-queue.js';
import type { QueueDecision } from '../../../shared/domain/engine/queue-step.js';
import { type Intent, newIntent } from '../../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import { SequentialIds } from '../../support/fixtures.js';
import { TestRepo } from '../../support/git-repo.js';
import { TestClock } from '../../support/test-clock.js';

/**
 * A real git repo (with a Makefile whose checks pass), a file-backed SQLite
 * store (so a test can tamper with rows through a second connection) and
 * the engine.
 */
export interface ProvenanceHarness {
  repo: TestRepo;
  deps: EngineDeps;
  clock: TestClock;
  dbPath: string;
  addIntent(
    input: Partial<Intent> & { id: string; source: string },
  ): Promise<Intent>;
  /** Creates a branch with `files`, an intent for it, and merges it. */
  mergeBranch(
    id: string,
    files: Record<string, string>,
    extra?: Partial<Intent>,
  ): Promise<QueueDecision>;
  /** Runs raw SQL on the store's database (tampering, in tests only). */
  sql(statement: string, ...params: unknown[]): void;
  close(): Promise<void>;
}

export function openProvenanceHarness(): ProvenanceHarness {
  const repo = new TestRepo();
  repo.commit(
    {
      'README.md': '# demo\n',
      'shared.py': 'base\n',
      Makefile: 'lint:\n\t@true\ntest:\n\t@true\n',
    },
    'initial',
  );
  const dir = mkdtempSync(join(tmpdir(), 'converge-prov-'));
  const dbPath = join(dir, 'state.db');
  const clock = new TestClock();
  const store = SqliteStore.open({ path: dbPath, clock });
  const deps: EngineDeps = {
    store,
    scm: new GitScm({ repoDir: repo.dir }),
    checks: new MakeChecks({ cwd: repo.dir, timeoutMs: 20_000 }),
    clock,
    ids: new SequentialIds(),
    policy: DEFAULT_POLICY_CONFIG,
  };
  const addIntent: ProvenanceHarness['addIntent'] = async (input) => {
    clock.advance(1000);
    const intent = { ...newIntent(input, clock.nowIso()), ...input };
    return store.intents.create({ ...intent, version: 1 });
  };
  return {
    repo,
    deps,
    clock,
    dbPath,
    addIntent,
    async mergeBranch(id, files, extra = {}) {
      repo.branch(`feature/${id}`, files);
      await addIntent({ id, source: `feature/${id}`, ...extra });
      clock.advance(1000);
      const result = await processQueue(deps, {
        tenantId: extra.tenantId ?? null,
        target: 'main',
        holder: 'worker-1',
        autoConfirm: true,
      });
      const decision = result.decisions.find((d) => d.intentId === id);
      if (!decision) throw new Error(`no decision for ${id}`);
      return decision;
    },
    sql(statement, ...params) {
      const db = new Database(dbPath);
      try {
        db.prepare(statement).run(...params);
      } finally {
        db.close();
      }
    },
    async close() {
      await store.close();
      repo.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
