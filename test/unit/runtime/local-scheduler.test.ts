import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../../shared/adapters/sqlite/sqlite-store.js';
import type { Deps } from '../../../shared/runtime/deps.js';
import {
  LOCAL_SCHEDULE,
  startLocalScheduler,
} from '../../../shared/runtime/local-scheduler.js';
import type { TaskReport } from '../../../shared/runtime/scheduled-tasks.js';
import { SequentialIds } from '../../support/fixtures.js';
import { TestClock } from '../../support/test-clock.js';

describe('startLocalScheduler', () => {
  let store: SqliteStore;
  let deps: Deps;
  beforeEach(() => {
    vi.useFakeTimers();
    const clock = new TestClock();
    store = SqliteStore.open({ path: ':memory:', clock });
    // A health snapshot reads and writes the store only.
    deps = { store, clock, ids: new SequentialIds() } as unknown as Deps;
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  it('takes a health snapshot every 15 minutes, not at start', async () => {
    // Prepare
    const reports: TaskReport[] = [];
    const scheduler = startLocalScheduler(deps, {
      holder: 'local-test',
      onError: (error) => {
        throw error;
      },
      onDone: (report) => reports.push(report),
    });
    // Act
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    const before = await store.events.count({ type: 'health.snapshot' });
    await vi.advanceTimersByTimeAsync(16 * 60_000);
    await scheduler.stop();
    // Assess
    expect(LOCAL_SCHEDULE).toEqual([
      { task: 'health-snapshot', everyMs: 900_000 },
    ]);
    expect(before).toBe(0);
    expect(await store.events.count({ type: 'health.snapshot' })).toBe(2);
    expect(reports).toEqual([
      { task: 'health-snapshot', tenants: [null] },
      { task: 'health-snapshot', tenants: [null] },
    ]);
  });

  it('reports a failed run and keeps going', async () => {
    // Prepare
    const errors: unknown[] = [];
    const scheduler = startLocalScheduler(deps, {
      holder: 'local-test',
      schedule: [{ task: 'retention', everyMs: 1000 }],
      onError: (error) => errors.push(error),
    });
    // Act
    await vi.advanceTimersByTimeAsync(2500);
    await scheduler.stop();
    // Assess: these deps have no env (no retention days), so both runs fail
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });
});
