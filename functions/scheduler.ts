/**
 * The scheduler: the EventBridge rules of lib/constructs/scheduler.ts invoke
 * it with a constant `{ "task": ... }` (not an HTTP route). A failed task
 * throws, so the asynchronous invocation is retried; metrics (queue depth,
 * decisions) are flushed by the shared middy stack.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { ValidationError } from '../shared/domain/errors.js';
import {
  type Observability,
  observability,
  observed,
} from '../shared/http/lambda-stack.js';
import { type Deps, getDeps, useCloudPorts } from '../shared/runtime/deps.js';
import { githubCloudPorts } from '../shared/runtime/github-ports.js';
import {
  runScheduledTask,
  SCHEDULED_TASK_NAMES,
  type TaskReport,
} from '../shared/runtime/scheduled-tasks.js';
import { sqsBus } from '../shared/runtime/sqs-bus-port.js';

const ScheduledEvent = z
  .object({ task: z.enum(SCHEDULED_TASK_NAMES) })
  .strict();

/** Options of `schedulerHandler` (tests inject deps and observability). */
export interface SchedulerOptions extends Partial<Observability> {
  deps?: () => Promise<Deps>;
}

function parseEvent(event: unknown): z.infer<typeof ScheduledEvent> {
  const parsed = ScheduledEvent.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid scheduled event',
      parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: i.message,
      })),
    );
  }
  return parsed.data;
}

/** One line per task, and one per queue decision with its `trace_id`. */
function logReport(obs: Observability, report: TaskReport): void {
  if (report.task !== 'queue-tick') {
    obs.logger.info('scheduled task done', { ...report });
    return;
  }
  const { decisions, ...summary } = report;
  for (const d of decisions) {
    obs.logger.info('queue decision', {
      intentId: d.intentId,
      decision: d.decision,
      trace_id: d.traceId,
    });
  }
  obs.logger.info('scheduled task done', {
    ...summary,
    decisions: decisions.length,
  });
}

/**
 * Builds the scheduler handler: zod-parses `{ task }`, runs the task under
 * a lock holder named after the invocation, and logs its report (queue
 * decisions carry their `trace_id`).
 * @example
 * export const handler = schedulerHandler();
 */
export function schedulerHandler(options: SchedulerOptions = {}) {
  const obs = observability(options);
  const loadDeps = options.deps ?? getDeps;
  return observed(
    async (event: unknown, context: Context): Promise<TaskReport> => {
      const { task } = parseEvent(event);
      obs.logger.appendKeys({ task });
      const deps = await loadDeps();
      const holder = `scheduler-${context.awsRequestId}`;
      try {
        const report = await runScheduledTask(deps, task, holder);
        logReport(obs, report);
        return report;
      } catch (error) {
        obs.logger.error('scheduled task failed', { error });
        throw error;
      }
    },
    obs,
  );
}

/** Lambda entry of the scheduler (EventBridge rule targets). */
export const handler = schedulerHandler();

// Lambda: GitHub (App private key) and the SQS bus; built on first use.
useCloudPorts({ github: githubCloudPorts, bus: sqsBus });
