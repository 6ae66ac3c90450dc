import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processQueue } from '../../../shared/domain/engine/process-queue.js';
import { validateIntent } from '../../../shared/domain/engine/validate-intent.js';
import { type EngineHarness, openEngineHarness } from './engine-harness.js';

const run = {
  tenantId: null,
  target: 'main',
  holder: 'worker-1',
  skipChecks: true,
};

describe('processQueue on a real git repository', () => {
  let h: EngineHarness;
  beforeEach(() => {
    h = openEngineHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('rejects an intent that arrives with retries at the maximum (invariant 3)', async () => {
    // Prepare
    h.repo.branch('feature/a', { 'a.py': 'x\n' });
    await h.addIntent({
      id: 'i-1',
      source: 'feature/a',
      status: 'VALIDATED',
      retries: 3,
    });
    // Act
    const result = await processQueue(h.deps, { ...run, maxRetries: 3 });
    // Assess
    expect(result.decisions).toMatchObject([
      { intentId: 'i-1', decision: 'rejected' },
    ]);
    expect(result.decisions[0]?.reason).toBe('Max retries (3) exceeded');
    expect((await h.deps.store.intents.get('i-1'))?.status).toBe('REJECTED');
  });

  it('merges the first of two conflicting intents and requeues the second (invariant 2)', async () => {
    // Prepare
    h.repo.branch('feature/a', { 'shared.py': 'from a\n' });
    h.repo.branch('feature/b', { 'shared.py': 'from b\n' });
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
    // Act
    const result = await processQueue(h.deps, { ...run, autoConfirm: true });
    // Assess
    const [a, b] = result.decisions;
    expect(a).toMatchObject({ intentId: 'A', decision: 'merged' });
    expect(b).toMatchObject({ intentId: 'B', decision: 'requeued' });
    expect(b?.reason).toContain('conflict');
    const intentB = await h.deps.store.intents.get('B');
    expect(intentB?.status).toBe('READY');
    expect(intentB?.retries).toBeGreaterThanOrEqual(1);
    expect(h.repo.sha('main')).toBe(a?.mergedSha);
    expect(h.repo.git('show', 'main:shared.py')).toBe('from a');
  });

  it('marks an intent whose tested commit is already on the target MERGED without a new commit', async () => {
    // Prepare: the branch reached main by other means (or a train's branch
    // move landed before a crash could mark the intent MERGED)
    h.repo.branch('feature/d', { 'd.py': 'x\n' });
    await h.addIntent({ id: 'D', source: 'feature/d', status: 'VALIDATED' });
    h.repo.git('merge', '-q', '--no-ff', '-m', 'merged by hand', 'feature/d');
    const tip = h.repo.sha('main');
    // Act
    const result = await processQueue(h.deps, { ...run, autoConfirm: true });
    // Assess
    expect(result.decisions).toMatchObject([
      { intentId: 'D', decision: 'merged', mergedSha: tip },
    ]);
    expect(result.decisions[0]?.reason).toBe(
      'Already in the target: its tested commit is on it',
    );
    expect(h.repo.sha('main')).toBe(tip);
    expect((await h.deps.store.intents.get('D'))?.status).toBe('MERGED');
  });

  it('merges exactly the tested tree and records it', async () => {
    // Prepare
    h.repo.branch('feature/c', { 'c.py': 'x\n' });
    await h.addIntent({ id: 'C', source: 'feature/c' });
    // Act
    const result = await processQueue(h.deps, { ...run, autoConfirm: true });
    // Assess
    expect(result.decisions).toMatchObject([
      { intentId: 'C', decision: 'merged' },
    ]);
    const merged = await h.deps.store.events.query({
      intentId: 'C',
      type: 'intent.merged',
    });
    const payload = merged.items[0]?.payload;
    expect(h.repo.git('rev-parse', 'main^{tree}')).toBe(payload?.tree_sha);
    expect((await h.deps.store.intents.get('C'))?.status).toBe('MERGED');
  });

  it('never marks MERGED when the target moved after validation (DECISIONS 11)', async () => {
    // Prepare
    h.repo.branch('feature/d', { 'd.py': 'x\n' });
    await h.addIntent({ id: 'D', source: 'feature/d' });
    await validateIntent(h.deps, 'D', { skipChecks: true });
    const scm = h.deps.scm;
    const racing = {
      ...scm,
      simulateMerge: scm.simulateMerge.bind(scm),
      headSha: scm.headSha.bind(scm),
      merge: async (input: Parameters<typeof scm.merge>[0]) => {
        h.repo.commit({ 'race.py': 'someone else\n' });
        return scm.merge(input);
      },
    };
    // Act
    const result = await processQueue(
      { ...h.deps, scm: racing },
      { ...run, autoConfirm: true },
    );
    // Assess
    expect(result.decisions).toMatchObject([
      { intentId: 'D', decision: 'merge_failed' },
    ]);
    const intent = await h.deps.store.intents.get('D');
    expect(intent?.status).toBe('READY');
    expect(intent?.retries).toBe(1);
  });

  it('does nothing while another worker holds the lock', async () => {
    // Prepare
    h.repo.branch('feature/e', { 'e.py': 'x\n' });
    await h.addIntent({ id: 'E', source: 'feature/e', status: 'VALIDATED' });
    await h.deps.store.locks.acquire('queue:-:-:main', 'pid-99999', 60_000);
    // Act
    const result = await processQueue(h.deps, run);
    // Assess
    expect(result).toMatchObject({
      decisions: [],
      lock: { holder: 'pid-99999' },
    });
    expect((await h.deps.store.intents.get('E'))?.status).toBe('VALIDATED');
  });

  it('takes over after the holder crashed and its lock expired', async () => {
    // Prepare
    h.repo.branch('feature/f', { 'f.py': 'x\n' });
    await h.addIntent({ id: 'F', source: 'feature/f', status: 'VALIDATED' });
    await h.deps.store.locks.acquire('queue:-:-:main', 'crashed', 5_000);
    h.clock.advance(5_001);
    // Act
    const result = await processQueue(h.deps, run);
    // Assess
    expect(result.decisions).toMatchObject([
      { intentId: 'F', decision: 'queued' },
    ]);
    expect(await h.deps.store.locks.info('queue:-:-:main')).toBeNull();
  });

  it('renews its lease during a pass longer than the lock TTL', async () => {
    // Prepare: every scm merge takes "2 s"; the TTL is 5 s
    for (const n of [1, 2, 3, 4]) {
      h.repo.branch(`feature/l${n}`, { [`l${n}.py`]: 'x\n' });
      await h.addIntent({
        id: `L${n}`,
        source: `feature/l${n}`,
        status: 'VALIDATED',
      });
    }
    const scm = h.deps.scm;
    const held: (string | undefined)[] = [];
    const slow = {
      ...scm,
      simulateMerge: scm.simulateMerge.bind(scm),
      headSha: scm.headSha.bind(scm),
      merge: async (input: Parameters<typeof scm.merge>[0]) => {
        h.clock.advance(2_000);
        held.push((await h.deps.store.locks.info('queue:-:-:main'))?.holder);
        return scm.merge(input);
      },
    };
    // Act
    const result = await processQueue(
      { ...h.deps, scm: slow },
      { ...run, autoConfirm: true, lockTtlMs: 5_000 },
    );
    // Assess: 8 s of work under a 5 s lease, never expired
    expect(result.decisions.map((d) => d.decision)).toEqual([
      'merged',
      'merged',
      'merged',
      'merged',
    ]);
    expect(held).toEqual(['worker-1', 'worker-1', 'worker-1', 'worker-1']);
  });

  it('stops taking intents once another worker took its expired lock', async () => {
    // Prepare: the first merge stalls past the TTL and another worker steps in
    for (const n of [1, 2]) {
      h.repo.branch(`feature/s${n}`, { [`s${n}.py`]: 'x\n' });
      await h.addIntent({
        id: `S${n}`,
        source: `feature/s${n}`,
        status: 'VALIDATED',
      });
    }
    const scm = h.deps.scm;
    const stalling = {
      ...scm,
      simulateMerge: scm.simulateMerge.bind(scm),
      headSha: scm.headSha.bind(scm),
      merge: async (input: Parameters<typeof scm.merge>[0]) => {
        h.clock.advance(6_000);
        await h.deps.store.locks.acquire('queue:-:-:main', 'worker-2', 5_000);
        return scm.merge(input);
      },
    };
    // Act
    const result = await processQueue(
      { ...h.deps, scm: stalling },
      { ...run, autoConfirm: true, lockTtlMs: 5_000 },
    );
    // Assess
    expect(result.decisions.map((d) => d.intentId)).toEqual(['S1']);
    expect((await h.deps.store.intents.get('S2'))?.status).toBe('VALIDATED');
    expect((await h.deps.store.locks.info('queue:-:-:main'))?.holder).toBe(
      'worker-2',
    );
  });

  it('waits on dependencies that are not merged yet', async () => {
    // Prepare
    h.repo.branch('feature/g', { 'g.py': 'x\n' });
    await h.addIntent({
      id: 'G',
      source: 'feature/g',
      status: 'VALIDATED',
      dependencies: ['missing'],
    });
    // Act
    const result = await processQueue(h.deps, run);
    // Assess
    expect(result.decisions).toMatchObject([
      { intentId: 'G', decision: 'dependency_blocked' },
    ]);
    expect((await h.deps.store.intents.get('G'))?.status).toBe('VALIDATED');
  });

  it('blocks an intent whose branch does not exist without stopping the queue', async () => {
    // Prepare
    h.repo.branch('feature/ok', { 'ok.py': 'x\n' });
    await h.addIntent({ id: 'M', source: 'feature/missing', priority: 1 });
    await h.addIntent({ id: 'N', source: 'feature/ok', priority: 2 });
    // Act
    const first = await processQueue(h.deps, { ...run, autoConfirm: true });
    const second = await processQueue(h.deps, { ...run, autoConfirm: true });
    // Assess
    expect(first.decisions.map((d) => [d.intentId, d.decision])).toEqual([
      ['M', 'requeued'],
      ['N', 'merged'],
    ]);
    expect(first.decisions[0]?.reason).toContain('Branch not found');
    // the merge of N moved the target, so M is looked at once more
    expect(second.decisions).toMatchObject([
      { intentId: 'M', decision: 'requeued' },
    ]);
    const third = await processQueue(h.deps, { ...run, autoConfirm: true });
    expect(third.decisions).toMatchObject([
      { intentId: 'M', decision: 'waiting' },
    ]);
    h.repo.branch('feature/missing', { 'late.py': 'x\n' });
    const fourth = await processQueue(h.deps, { ...run, autoConfirm: true });
    expect(fourth.decisions).toMatchObject([
      { intentId: 'M', decision: 'merged' },
    ]);
  });

  it('does not burn retries on a blocked READY intent until something changes', async () => {
    // Prepare
    h.repo.branch('feature/h', { 'shared.py': 'from h\n' });
    h.repo.commit({ 'shared.py': 'main moved\n' });
    await h.addIntent({ id: 'H', source: 'feature/h' });
    // Act
    const first = await processQueue(h.deps, run);
    const second = await processQueue(h.deps, run);
    // Assess
    expect(first.decisions[0]?.decision).toBe('requeued');
    expect(second.decisions[0]?.decision).toBe('waiting');
    expect((await h.deps.store.intents.get('H'))?.retries).toBe(1);
  });
});
