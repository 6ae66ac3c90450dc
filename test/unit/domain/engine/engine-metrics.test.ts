import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../shared/adapters/sqlite/sqlite-store.js';
import type { EngineDeps } from '../../../../shared/domain/engine/engine-deps.js';
import { processQueue } from '../../../../shared/domain/engine/process-queue.js';
import { validateIntent } from '../../../../shared/domain/engine/validate-intent.js';
import { DEFAULT_POLICY_CONFIG } from '../../../../shared/domain/policy/index.js';
import type {
  CounterName,
  GaugeName,
  MetricsSink,
  TimingName,
} from '../../../../shared/ports/metrics.js';
import type { Scm } from '../../../../shared/ports/scm.js';
import { anIntent, SequentialIds } from '../../../support/fixtures.js';
import { TestClock } from '../../../support/test-clock.js';

type Sample = [kind: string, name: string, value: number];

/** A sink that remembers every call, in order. */
class RecordingSink implements MetricsSink {
  readonly samples: Sample[] = [];
  count(name: CounterName, value = 1): void {
    this.samples.push(['count', name, value]);
  }
  gauge(name: GaugeName, value: number): void {
    this.samples.push(['gauge', name, value]);
  }
  timing(name: TimingName, ms: number): void {
    this.samples.push(['timing', name, ms]);
  }
}

const sha = (c: string) => c.repeat(40);

/** An Scm whose merges are clean (or conflicted); a simulation takes 250 ms. */
function fakeScm(clock: TestClock, mergeable: boolean): Scm {
  return {
    simulateMerge: async () => {
      clock.advance(250);
      return {
        mergeable,
        conflicts: mergeable ? [] : ['src/a.ts'],
        filesChanged: ['src/a.ts'],
        sourceSha: sha('a'),
        targetSha: sha('b'),
        mergeBaseSha: sha('c'),
        treeSha: mergeable ? sha('d') : null,
      };
    },
    changedFiles: async () => ['src/a.ts'],
    headSha: async (ref) => (ref === 'main' ? sha('b') : sha('a')),
    treeOf: async () => sha('d'),
    merge: async () => ({ mergedSha: sha('e') }),
    coChangeHistory: async () => [],
    commitLog: async () => [],
  };
}

describe('engine metrics', () => {
  let clock: TestClock;
  let store: SqliteStore;
  let sink: RecordingSink;
  let deps: EngineDeps;

  function withScm(mergeable: boolean): EngineDeps {
    return { ...deps, scm: fakeScm(clock, mergeable) };
  }

  beforeEach(() => {
    clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    sink = new RecordingSink();
    deps = {
      store,
      scm: fakeScm(clock, true),
      checks: { run: async () => [] },
      clock,
      ids: new SequentialIds(),
      policy: DEFAULT_POLICY_CONFIG,
      metrics: sink,
    };
  });
  afterEach(async () => {
    await store.close();
  });

  it('counts IntentsValidated and the validation latency on a pass', async () => {
    // Prepare
    await store.intents.create(anIntent({ id: 'i-1' }));
    // Act
    const outcome = await validateIntent(deps, 'i-1', { skipChecks: true });
    // Assess
    expect(outcome.decision).toBe('validated');
    expect(sink.samples).toEqual([
      ['count', 'IntentsValidated', 1],
      ['timing', 'ValidationLatency', 250],
    ]);
  });

  it('counts IntentsBlocked on a merge conflict', async () => {
    // Prepare
    await store.intents.create(anIntent({ id: 'i-1' }));
    // Act
    await validateIntent(withScm(false), 'i-1', { skipChecks: true });
    // Assess
    expect(sink.samples).toEqual([
      ['count', 'IntentsBlocked', 1],
      ['timing', 'ValidationLatency', 250],
    ]);
  });

  it('reports the queue depth and counts IntentsMerged on a merge', async () => {
    // Prepare
    await store.intents.create(anIntent({ id: 'i-1', status: 'VALIDATED' }));
    // Act
    const result = await processQueue(deps, {
      tenantId: null,
      target: 'main',
      holder: 'w-1',
      autoConfirm: true,
      skipChecks: true,
    });
    // Assess
    expect(result.decisions.map((d) => d.decision)).toEqual(['merged']);
    expect(sink.samples).toEqual([
      ['gauge', 'QueueDepth', 1],
      ['count', 'IntentsValidated', 1],
      ['timing', 'ValidationLatency', 250],
      ['count', 'IntentsMerged', 1],
    ]);
  });

  it('counts IntentsRejected when the retries are used up', async () => {
    // Prepare
    await store.intents.create(
      anIntent({ id: 'i-1', status: 'VALIDATED', retries: 3 }),
    );
    // Act
    await processQueue(deps, {
      tenantId: null,
      target: 'main',
      holder: 'w-1',
      maxRetries: 3,
    });
    // Assess
    expect(sink.samples).toEqual([
      ['gauge', 'QueueDepth', 1],
      ['count', 'IntentsRejected', 1],
    ]);
  });

  it('counts IntentsRejected when a failed merge uses the last retry', async () => {
    // Prepare
    const policy = {
      ...DEFAULT_POLICY_CONFIG,
      queue: { ...DEFAULT_POLICY_CONFIG.queue, max_retries: 3 },
    };
    const scm: Scm = {
      ...fakeScm(clock, true),
      merge: () => Promise.reject(new Error('target moved')),
    };
    await store.intents.create(
      anIntent({ id: 'i-1', status: 'VALIDATED', retries: 2 }),
    );
    // Act
    const result = await processQueue(
      { ...deps, scm, policy },
      {
        tenantId: null,
        target: 'main',
        holder: 'w-1',
        autoConfirm: true,
        skipChecks: true,
      },
    );
    // Assess
    expect(result.decisions.map((d) => d.decision)).toEqual(['merge_failed']);
    expect((await store.intents.get('i-1'))?.status).toBe('REJECTED');
    expect(sink.samples.at(-1)).toEqual(['count', 'IntentsRejected', 1]);
    expect(sink.samples.map(([, name]) => name)).not.toContain('IntentsMerged');
  });

  it('counts IntentsRejected when a blocked revalidation uses the last retry', async () => {
    // Prepare
    await store.intents.create(
      anIntent({ id: 'i-1', status: 'VALIDATED', retries: 2 }),
    );
    // Act
    await processQueue(withScm(false), {
      tenantId: null,
      target: 'main',
      holder: 'w-1',
      maxRetries: 3,
      skipChecks: true,
    });
    // Assess
    expect(sink.samples.map(([, name]) => name)).toEqual([
      'QueueDepth',
      'IntentsBlocked',
      'ValidationLatency',
      'IntentsRejected',
    ]);
  });
});
