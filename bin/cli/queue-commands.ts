import { processQueue } from '../../shared/domain/engine/process-queue.js';
import {
  confirmMerge,
  inspectQueue,
  resetIntent,
} from '../../shared/domain/engine/queue-admin.js';
import type { IntentStatus } from '../../shared/domain/intent.js';
import { presentIntent } from '../../shared/http/presenters.js';
import {
  type Command,
  compact,
  need,
  opt,
  optInt,
  withGit,
} from './cli-context.js';

/**
 * `queue run [--limit --target --max-retries --auto-confirm --skip-checks]`.
 * `--repo` is the git directory (global flag), not the queue's repo name,
 * so the lock is the one `queue reset --clear-lock` clears.
 */
const run: Command = async ({ deps, flags }) =>
  processQueue(deps, {
    ...compact({
      limit: optInt(flags, 'limit'),
      maxRetries: optInt(flags, 'max-retries'),
    }),
    tenantId: opt(flags, 'tenant-id') ?? null,
    target: opt(flags, 'target') ?? deps.policy.queue.default_target,
    holder: `cli-${process.pid}`,
    autoConfirm: flags['auto-confirm'] === true,
    skipChecks: flags['skip-checks'] === true,
    lockTtlMs: deps.env.CONVERGE_QUEUE_LOCK_TTL * 1000,
  });

const inspect: Command = async ({ deps, flags }) => {
  const items = await inspectQueue(
    deps.store,
    opt(flags, 'tenant-id') ?? null,
    compact({
      status: opt(flags, 'status') as IntentStatus | undefined,
      minRetries: optInt(flags, 'min-retries'),
      onlyActionable: flags['only-actionable'] === true,
      limit: optInt(flags, 'limit'),
    }),
  );
  return items.map(presentIntent);
};

const reset: Command = async ({ deps, actor, flags }) => {
  const intent = await resetIntent(deps, {
    intentId: need(flags, 'intent-id'),
    actor: actor.actor,
    ...compact({
      setStatus: opt(flags, 'set-status') as IntentStatus | undefined,
    }),
    ...(flags['clear-lock'] === true
      ? {
          clearLock: { target: opt(flags, 'target') ?? 'main' },
        }
      : {}),
  });
  return presentIntent(intent);
};

const confirm: Command = async ({ deps, actor, flags }) =>
  presentIntent(
    await confirmMerge(deps, {
      intentId: need(flags, 'intent-id'),
      actor: actor.actor,
      ...compact({ mergedCommit: opt(flags, 'merged-commit') }),
    }),
  );

/** `queue run|inspect|reset`, `merge confirm`. */
export const queueCommands: Record<string, Command> = {
  'queue run': withGit(run),
  'queue inspect': inspect,
  'queue reset': reset,
  'merge confirm': confirm,
};
