import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processQueue } from '../../../shared/domain/engine/process-queue.js';
import type { EventType } from '../../../shared/domain/event.js';
import type { MergeTrain, Scm } from '../../../shared/ports/scm.js';
import { type EngineHarness, openEngineHarness } from './engine-harness.js';

const run = {
  tenantId: null,
  target: 'main',
  holder: 'worker-1',
  skipChecks: true,
  autoConfirm: true,
};

/** The real Scm, with `beforePublish` run just before each train swap. */
function withHook(scm: Scm, beforePublish: () => void): Scm {
  return {
    simulateMerge: (s, t) => scm.simulateMerge(s, t),
    changedFiles: (s, t) => scm.changedFiles(s, t),
    headSha: (ref) => scm.headSha(ref),
    treeOf: (sha) => scm.treeOf(sha),
    merge: (input) => scm.merge(input),
    coChangeHistory: (n) => scm.coChangeHistory(n),
    commitLog: (n) => scm.commitLog(n),
    openTrain: async (target) => {
      const train = await (scm.openTrain?.(target) ??
        Promise.reject(new Error('no trains')));
      const hooked: MergeTrain = {
        target: train.target,
        get baseSha() {
          return train.baseSha;
        },
        get tipSha() {
          return train.tipSha;
        },
        headSha: (ref) => train.headSha(ref),
        simulate: (source) => train.simulate(source),
        stage: (input) => train.stage(input),
        publish: () => {
          beforePublish();
          return train.publish();
        },
        close: () => train.close(),
      };
      return hooked;
    },
  };
}

describe('processQueue with merge trains on a real git repository', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = openEngineHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function eventsOf(intentId: string, type: EventType) {
    const page = await h.deps.store.events.query({ intentId, type });
    return page.items;
  }

  it('validates each intent on the previous one’s merge and moves main once', async () => {
    // Prepare
    const before = h.repo.sha('main');
    for (const n of [1, 2, 3]) {
      h.repo.branch(`feature/${n}`, { [`f${n}.py`]: `${n}\n` });
      await h.addIntent({
        id: `I${n}`,
        source: `feature/${n}`,
        status: 'VALIDATED',
      });
    }
    // Act
    const result = await processQueue(h.deps, run);
    // Assess
    expect(result.decisions.map((d) => [d.intentId, d.decision])).toEqual([
      ['I1', 'merged'],
      ['I2', 'merged'],
      ['I3', 'merged'],
    ]);
    const reflog = h.repo.git('reflog', '--format=%H', 'refs/heads/main');
    expect(reflog.split('\n')).toEqual([
      result.decisions[2]?.mergedSha,
      before,
    ]);
    let previous = before;
    for (const decision of result.decisions) {
      const [merged] = await eventsOf(decision.intentId, 'intent.merged');
      const [simulation] = await eventsOf(
        decision.intentId,
        'simulation.completed',
      );
      // Tested against the commit the merge got as first parent.
      expect(simulation?.payload.target_sha).toBe(previous);
      expect(merged?.payload.target_sha).toBe(previous);
      expect(merged?.payload.merged_commit).toBe(decision.mergedSha);
      expect(h.repo.git('rev-parse', `${decision.mergedSha}^1`)).toBe(previous);
      expect(h.repo.git('rev-parse', `${decision.mergedSha}^{tree}`)).toBe(
        merged?.payload.tree_sha,
      );
      expect(
        await eventsOf(decision.intentId, 'provenance.recorded'),
      ).toHaveLength(1);
      previous = decision.mergedSha ?? '';
    }
  });

  it('merges the others when one intent of the train conflicts, and requeues that one', async () => {
    // Prepare
    h.repo.branch('feature/a', { 'shared.py': 'from a\n' });
    h.repo.branch('feature/b', { 'shared.py': 'from b\n' });
    h.repo.branch('feature/c', { 'c.py': 'c\n' });
    await h.addIntent({
      id: 'A',
      source: 'feature/a',
      status: 'VALIDATED',
      priority: 1,
    });
    await h.addIntent({
      id: 'B',
      source: 'feature/b',
      status: 'VALIDATED',
      priority: 2,
    });
    await h.addIntent({
      id: 'C',
      source: 'feature/c',
      status: 'VALIDATED',
      priority: 3,
    });
    // Act
    const result = await processQueue(h.deps, run);
    // Assess
    expect(result.decisions.map((d) => [d.intentId, d.decision])).toEqual([
      ['A', 'merged'],
      ['B', 'requeued'],
      ['C', 'merged'],
    ]);
    expect(result.decisions[1]?.reason).toBe('Merge conflict in: shared.py');
    const b = await h.deps.store.intents.get('B');
    expect([b?.status, b?.retries]).toEqual(['READY', 1]);
    const [blocked] = await eventsOf('B', 'intent.requeued');
    expect(blocked?.payload.target_sha).toBe(result.decisions[0]?.mergedSha);
    expect(h.repo.sha('main')).toBe(result.decisions[2]?.mergedSha);
    expect(h.repo.git('show', 'main:shared.py')).toBe('from a');
    expect(h.repo.git('show', 'main:c.py')).toBe('c');
  });

  it('loses nothing when the target moves under the train: one by one on the new tip', async () => {
    // Prepare
    for (const n of [1, 2]) {
      h.repo.branch(`feature/${n}`, { [`f${n}.py`]: `${n}\n` });
      await h.addIntent({
        id: `I${n}`,
        source: `feature/${n}`,
        status: 'VALIDATED',
      });
    }
    let pushed = '';
    const scm = withHook(h.deps.scm, () => {
      pushed ||= h.repo.commit({ 'outside.py': 'pushed\n' }, 'outside push');
    });
    // Act
    const result = await processQueue({ ...h.deps, scm }, run);
    // Assess
    expect(result.decisions.map((d) => [d.intentId, d.decision])).toEqual([
      ['I1', 'merged'],
      ['I2', 'merged'],
    ]);
    const first = result.decisions[0]?.mergedSha ?? '';
    expect(h.repo.git('rev-parse', `${first}^1`)).toBe(pushed);
    for (const id of ['I1', 'I2']) {
      const intent = await h.deps.store.intents.get(id);
      expect([intent?.status, intent?.retries]).toEqual(['MERGED', 0]);
      const simulations = await eventsOf(id, 'simulation.completed');
      // Revalidated on the pushed tip after the refused swap.
      expect(simulations).toHaveLength(2);
      expect(await eventsOf(id, 'intent.merged')).toHaveLength(1);
    }
    const [merged] = await eventsOf('I1', 'intent.merged');
    expect(merged?.payload.target_sha).toBe(pushed);
    expect(h.repo.git('show', 'main:outside.py')).toBe('pushed');
    expect(h.repo.git('show', 'main:f1.py')).toBe('1');
    expect(h.repo.git('show', 'main:f2.py')).toBe('2');
  });

  it('lands a dependency before validating the intent that waits for it', async () => {
    // Prepare
    h.repo.branch('feature/base', { 'base.py': 'base\n' });
    h.repo.branch('feature/top', { 'top.py': 'top\n' });
    await h.addIntent({
      id: 'BASE',
      source: 'feature/base',
      status: 'VALIDATED',
      priority: 1,
    });
    await h.addIntent({
      id: 'TOP',
      source: 'feature/top',
      status: 'VALIDATED',
      priority: 2,
      dependencies: ['BASE'],
    });
    // Act
    const result = await processQueue(h.deps, run);
    // Assess
    expect(result.decisions.map((d) => [d.intentId, d.decision])).toEqual([
      ['BASE', 'merged'],
      ['TOP', 'merged'],
    ]);
    const reflog = h.repo.git('reflog', '--format=%H', 'refs/heads/main');
    expect(reflog.split('\n')).toHaveLength(3);
  });

  it('merges one by one when the run does not merge or the Scm has no trains', async () => {
    // Prepare
    h.repo.branch('feature/x', { 'x.py': 'x\n' });
    await h.addIntent({ id: 'X', source: 'feature/x', status: 'VALIDATED' });
    const { openTrain: _openTrain, ...plain } = withHook(h.deps.scm, () => {
      throw new Error('no train expected');
    });
    // Act
    const queued = await processQueue(h.deps, { ...run, autoConfirm: false });
    const merged = await processQueue({ ...h.deps, scm: plain }, run);
    // Assess
    expect(queued.decisions.map((d) => d.decision)).toEqual(['queued']);
    expect(merged.decisions.map((d) => d.decision)).toEqual(['merged']);
    expect(h.repo.sha('main')).toBe(merged.decisions[0]?.mergedSha);
  });
});
