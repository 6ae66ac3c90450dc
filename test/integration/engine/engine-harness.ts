import { GitScm } from '../../../shared/adapters/git/git-scm.js';
import { MakeChecks } from '../../../shared/adapters/make/make-checks.js';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../../../shared/domain/engine/engine-deps.js';
import { type Intent, newIntent } from '../../../shared/domain/intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../shared/domain/policy/index.js';
import { SequentialIds } from '../../support/fixtures.js';
import { TestRepo } from '../../support/git-repo.js';
import { TestClock } from '../../support/test-clock.js';

/** Real git repo + real SQLite + real make, for engine tests. */
export interface EngineHarness {
  repo: TestRepo;
  deps: EngineDeps;
  clock: TestClock;
  addIntent(
    input: Partial<Intent> & { id: string; source: string },
  ): Promise<Intent>;
  close(): Promise<void>;
}

export function openEngineHarness(): EngineHarness {
  const repo = new TestRepo();
  repo.commit({ 'README.md': '# demo\n', 'shared.py': 'base\n' }, 'initial');
  const clock = new TestClock();
  const store = SqliteStore.open({ path: ':memory:', clock });
  const deps: EngineDeps = {
    store,
    scm: new GitScm({ repoDir: repo.dir }),
    checks: new MakeChecks({ cwd: repo.dir, timeoutMs: 20_000 }),
    clock,
    ids: new SequentialIds(),
    policy: DEFAULT_POLICY_CONFIG,
  };
  return {
    repo,
    deps,
    clock,
    async addIntent(input) {
      clock.advance(1000);
      const intent = {
        ...newIntent(input, clock.nowIso()),
        ...input,
        version: 1,
      };
      return store.intents.create(intent);
    },
    async close() {
      await store.close();
      repo.remove();
    },
  };
}
