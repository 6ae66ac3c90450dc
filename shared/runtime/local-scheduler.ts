import type { Deps } from './deps-type.js';
import {
  runScheduledTask,
  type ScheduledTask,
  type TaskReport,
} from './scheduled-tasks.js';

/** One periodic task of the local stack. */
export interface LocalSchedule {
  task: ScheduledTask;
  everyMs: number;
}

/**
 * The local equivalent of the EventBridge rules: the worker already drives
 * the queue, so only the health snapshot runs here, every 15 minutes.
 */
export const LOCAL_SCHEDULE: readonly LocalSchedule[] = [
  { task: 'health-snapshot', everyMs: 15 * 60_000 },
];

/** Running timers; `stop()` waits for a task in flight. */
export interface LocalScheduler {
  stop(): Promise<void>;
}

/**
 * Runs each scheduled task every `everyMs` (first run after one interval),
 * one run at a time per task; failures go to `onError` and the timer goes
 * on. Timers are unref'd: they never keep the process alive on their own.
 * @example
 * const scheduler = startLocalScheduler(deps, { onError: console.error });
 * await scheduler.stop();
 */
export function startLocalScheduler(
  deps: Deps,
  options: {
    holder: string;
    schedule?: readonly LocalSchedule[];
    onError(error: unknown): void;
    onDone?(report: TaskReport): void;
  },
): LocalScheduler {
  const inFlight = new Set<Promise<void>>();
  const timers = (options.schedule ?? LOCAL_SCHEDULE).map(
    ({ task, everyMs }) => {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        const run = runScheduledTask(deps, task, options.holder)
          .then((report) => options.onDone?.(report), options.onError)
          .finally(() => {
            running = false;
            inFlight.delete(run);
          });
        inFlight.add(run);
      }, everyMs);
      timer.unref();
      return timer;
    },
  );
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(inFlight);
    },
  };
}
