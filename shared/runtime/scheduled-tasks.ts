import { allIntents } from '../domain/engine/queue-admin.js';
import { publishIfWired } from '../domain/outbox/publish-outbox.js';
import { takeHealthSnapshot } from '../domain/projections/health-snapshot.js';
import { type Bus, branchGroupId } from '../ports/bus.js';
import type { Deps } from './deps-type.js';
import { activeBranches, drainOnce } from './queue-worker.js';

/** The tasks EventBridge sends (lib/constructs/scheduler.ts). */
export const SCHEDULED_TASK_NAMES = [
  'queue-tick',
  'health-snapshot',
  'retention',
] as const;

/** One of `SCHEDULED_TASK_NAMES`. */
export type ScheduledTask = (typeof SCHEDULED_TASK_NAMES)[number];

const DAY_MS = 86_400_000;

/** One queue decision, for the log (its trace id joins the events). */
export interface TickDecision {
  intentId: string;
  decision: string;
  traceId: string;
}

/** What a queue tick did. */
export interface QueueTickReport {
  task: 'queue-tick';
  /** Branches whose queue ran (a busy lock counts in `busy`). */
  branches: number;
  busy: number;
  decisions: TickDecision[];
  /** Outbox entries by outcome; null when no publisher is wired. */
  outbox: {
    published: number;
    retrying: number;
    deadLettered: number;
    busy: boolean;
  } | null;
}

/** What a health snapshot run recorded. */
export interface HealthSnapshotReport {
  task: 'health-snapshot';
  /** null (every tenant together) first, then each tenant with intents. */
  tenants: (string | null)[];
}

/** What the retention sweep deleted. */
export interface RetentionReport {
  task: 'retention';
  /** Events strictly older than this instant were pruned. */
  before: string;
  pruned: number;
}

/** The report of one task, logged by the caller. */
export type TaskReport =
  | QueueTickReport
  | HealthSnapshotReport
  | RetentionReport;

/**
 * One outbox publishing run when a publisher is wired (DECISIONS 13): due
 * entries, retries past their backoff included; null without a publisher.
 */
async function publishDue(deps: Deps): Promise<QueueTickReport['outbox']> {
  const summary = await publishIfWired(deps);
  if (!summary) return null;
  return {
    published: summary.published.length,
    retrying: summary.retrying.length,
    deadLettered: summary.deadLettered.length,
    busy: summary.busy,
  };
}

/**
 * In the cloud the tick fans out: one process-branch message per branch
 * with pending work, in that branch's FIFO group, so branches run in
 * parallel on the queue processor and each stays in order. The dedup id is
 * per minute, so a repeated tick adds nothing. The outbox is published by
 * the tick itself, so a decision whose first attempt failed is retried.
 */
async function enqueueBranches(deps: Deps, bus: Bus): Promise<QueueTickReport> {
  const minute = Math.floor(deps.clock.now() / 60_000);
  const branches = await activeBranches(deps);
  for (const b of branches) {
    const repo = b.repo ?? '-';
    const groupId = branchGroupId({
      tenantId: b.tenantId,
      repo,
      target: b.target,
    });
    await bus.send(
      { kind: 'process-branch', tenantId: b.tenantId, repo, target: b.target },
      { groupId, dedupId: `tick-${minute}-${groupId}`.slice(0, 128) },
    );
  }
  return {
    task: 'queue-tick',
    branches: branches.length,
    busy: 0,
    decisions: [],
    outbox: await publishDue(deps),
  };
}

/**
 * One worker pass over every active branch (revalidate READY, merge
 * VALIDATED), then one outbox publishing run when a publisher is wired.
 */
export async function queueTick(
  deps: Deps,
  holder: string,
): Promise<QueueTickReport> {
  if (deps.bus && deps.env.CONVERGE_BUS === 'sqs') {
    return enqueueBranches(deps, deps.bus);
  }
  const results = await drainOnce(deps, holder);
  const decisions = results.flatMap((r) =>
    r.decisions.map(({ intentId, decision, traceId }) => ({
      intentId,
      decision,
      traceId,
    })),
  );
  const outbox = await publishDue(deps);
  return {
    task: 'queue-tick',
    branches: results.length,
    busy: results.filter((r) => r.lock !== undefined).length,
    decisions,
    outbox,
  };
}

/**
 * Records `health.snapshot` for every tenant together (null) and for each
 * tenant that has intents (DECISIONS 8: snapshots come from this job only).
 */
export async function healthSnapshots(
  deps: Deps,
): Promise<HealthSnapshotReport> {
  const tenants = new Set<string>();
  for (const intent of await allIntents(deps.store, null)) {
    if (intent.tenantId !== null) tenants.add(intent.tenantId);
  }
  const all: (string | null)[] = [null, ...[...tenants].sort()];
  for (const tenant of all) await takeHealthSnapshot(deps, tenant);
  return { task: 'health-snapshot', tenants: all };
}

/** Prunes events older than `CONVERGE_RETENTION_DAYS` (default 90). */
export async function retentionSweep(deps: Deps): Promise<RetentionReport> {
  const days = deps.env.CONVERGE_RETENTION_DAYS;
  const before = new Date(deps.clock.now() - days * DAY_MS).toISOString();
  const pruned = await deps.store.events.prune({ before });
  return { task: 'retention', before, pruned };
}

/**
 * Runs one scheduled task; the scheduler Lambda and the local stack's
 * timers call it. `holder` names the queue locks a tick takes.
 * @throws whatever the task's store, scm or publisher throws (the caller
 * logs it; EventBridge retries the invocation)
 * @example
 * const report = await runScheduledTask(deps, 'retention', 'scheduler-1');
 */
export function runScheduledTask(
  deps: Deps,
  task: ScheduledTask,
  holder: string,
): Promise<TaskReport> {
  switch (task) {
    case 'queue-tick':
      return queueTick(deps, holder);
    case 'health-snapshot':
      return healthSnapshots(deps);
    case 'retention':
      return retentionSweep(deps);
  }
}
