import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../../../../shared/domain/engine/engine-deps.js';
import { processQueue } from '../../../../shared/domain/engine/process-queue.js';
import { MAX_TRAIN_LENGTH } from '../../../../shared/domain/engine/queue-train.js';
import {
  ConflictError,
  TransientError,
} from '../../../../shared/domain/errors.js';
import { DEFAULT_POLICY_CONFIG } from '../../../../shared/domain/policy/index.js';
import type {
  MergeInput,
  MergeSimulation,
  MergeTrain,
  Scm,
} from '../../../../shared/ports/scm.js';
import { anIntent, SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** A branch `main` in memory: every merge is clean; commits are hashes. */
class FakeRepo {
  main = sha('root');
  merges: string[] = [];
  publishes = 0;
  /** Runs before each train swap; may throw or move `main`. */
  beforePublish: () => void | Promise<void> = () => undefined;
  /** Makes staging of this source fail. */
  failStage = '';

  simulation(source: string, tip: string): MergeSimulation {
    return {
      mergeable: true,
      conflicts: [],
      filesChanged: [`${source}.py`],
      sourceSha: sha(source),
      targetSha: tip,
      mergeBaseSha: sha('root'),
      treeSha: sha(`tree ${tip} ${source}`),
    };
  }

  commit(input: MergeInput): string {
    return sha(`${input.expectedTargetSha} ${input.source} ${input.treeSha}`);
  }

  scm(): Scm {
    return {
      simulateMerge: async (source) => this.simulation(source, this.main),
      changedFiles: async (source) => [`${source}.py`],
      headSha: async (ref) => (ref === 'main' ? this.main : sha(ref)),
      treeOf: async (commit) => sha(`tree of ${commit}`),
      merge: async (input) => {
        if (input.expectedTargetSha !== this.main) {
          throw new ConflictError('target moved');
        }
        this.main = this.commit(input);
        this.merges.push(input.source);
        return { mergedSha: this.main };
      },
      coChangeHistory: async () => [],
      commitLog: async () => [],
      openTrain: async (target) => this.train(target),
    };
  }

  train(target: string): MergeTrain {
    let base = this.main;
    let tip = this.main;
    return {
      target,
      get baseSha() {
        return base;
      },
      get tipSha() {
        return tip;
      },
      headSha: async (ref) => sha(ref),
      simulate: async (source) => this.simulation(source, tip),
      stage: async (input) => {
        if (input.source === sha(this.failStage)) {
          throw new TransientError('git timed out');
        }
        tip = this.commit(input);
        return { mergedSha: tip };
      },
      publish: async () => {
        await this.beforePublish();
        if (this.main !== base) throw new ConflictError('target moved');
        this.main = tip;
        base = tip;
        this.publishes += 1;
      },
      close: async () => undefined,
    };
  }
}

describe('processQueue with merge trains', () => {
  let clock: TestClock;
  let store: SqliteStore;
  let repo: FakeRepo;
  let deps: EngineDeps;
  const run = {
    tenantId: null,
    target: 'main',
    holder: 'w-1',
    autoConfirm: true,
    skipChecks: true,
    limit: 500,
  };

  async function seed(count: number): Promise<void> {
    for (let n = 0; n < count; n += 1) {
      clock.advance(1);
      await store.intents.create(
        anIntent({
          id: `i-${String(n).padStart(3, '0')}`,
          source: `feature/${n}`,
          status: 'VALIDATED',
          createdAt: clock.nowIso(),
        }),
      );
    }
  }

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    repo = new FakeRepo();
    deps = {
      store,
      scm: repo.scm(),
      checks: { run: async () => [] },
      clock,
      ids: new SequentialIds(),
      policy: DEFAULT_POLICY_CONFIG,
    };
  });
  afterEach(async () => {
    await store.close();
  });

  it(`moves the target once per ${MAX_TRAIN_LENGTH} merges`, async () => {
    // Prepare
    await seed(MAX_TRAIN_LENGTH + 5);
    // Act
    const result = await processQueue(deps, run);
    // Assess
    const decisions = new Set(result.decisions.map((d) => d.decision));
    expect([...decisions]).toEqual(['merged']);
    expect(repo.publishes).toBe(2);
    expect(repo.merges).toEqual([]);
    expect(repo.main).toBe(result.decisions.at(-1)?.mergedSha);
  });

  it('falls back to one merge at a time when the swap fails for another reason', async () => {
    // Prepare
    await seed(3);
    repo.beforePublish = () => {
      throw new TransientError('main is locked by another writer');
    };
    // Act
    const result = await processQueue(deps, run);
    // Assess
    expect(result.decisions.map((d) => d.decision)).toEqual([
      'merged',
      'merged',
      'merged',
    ]);
    expect(repo.merges).toEqual(
      ['feature/0', 'feature/1', 'feature/2'].map(sha),
    );
    const intent = await store.intents.get('i-002');
    expect([intent?.status, intent?.retries]).toEqual(['MERGED', 0]);
  });

  it('treats a failed staging as a failed merge and goes on with the train', async () => {
    // Prepare
    await seed(3);
    repo.failStage = 'feature/1';
    // Act
    const result = await processQueue(deps, run);
    // Assess
    expect(result.decisions.map((d) => [d.intentId, d.decision])).toEqual([
      ['i-000', 'merged'],
      ['i-001', 'merge_failed'],
      ['i-002', 'merged'],
    ]);
    const failed = await store.intents.get('i-001');
    expect([failed?.status, failed?.retries]).toEqual(['READY', 1]);
    expect(repo.publishes).toBe(1);
  });

  it('records nothing as MERGED before the swap succeeded', async () => {
    // Prepare
    await seed(2);
    const statuses: string[] = [];
    repo.beforePublish = async () => {
      for (const id of ['i-000', 'i-001']) {
        statuses.push((await store.intents.get(id))?.status ?? '');
      }
    };
    // Act
    await processQueue(deps, run);
    // Assess
    expect(statuses).toEqual(['QUEUED', 'QUEUED']);
    expect((await store.intents.get('i-001'))?.status).toBe('MERGED');
  });

  it('records the others when one published merge cannot be marked MERGED', async () => {
    // Prepare
    await seed(3);
    const intents = store.intents;
    const failing = new Proxy(intents, {
      get(target, prop) {
        if (prop === 'transition') {
          return (input: Parameters<typeof intents.transition>[0]) =>
            input.to === 'MERGED' && input.id === 'i-001'
              ? Promise.reject(new ConflictError('stale version'))
              : intents.transition(input);
        }
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const flaky = new Proxy(store, {
      get(target, prop) {
        if (prop === 'intents') return failing;
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Act
    const result = await processQueue({ ...deps, store: flaky }, run);
    // Assess
    expect(result.decisions.map((d) => d.decision)).toEqual([
      'merged',
      'error',
      'merged',
    ]);
    expect(result.decisions[1]?.reason).toMatch(
      /^Merged [0-9a-f]{40}; not recorded: stale version$/,
    );
    expect((await store.intents.get('i-001'))?.status).toBe('QUEUED');
    expect((await store.intents.get('i-002'))?.status).toBe('MERGED');
    expect(repo.main).toBe(result.decisions[2]?.mergedSha);
  });
});
