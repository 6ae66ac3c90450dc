import { z } from 'zod';
import { validateIntent } from '../../shared/domain/engine/validate-intent.js';
import {
  INTENT_STATUSES,
  type IntentStatus,
  RISK_LEVELS,
  type RiskLevel,
} from '../../shared/domain/intent.js';
import {
  changeIntentStatus,
  createIntent,
  getIntent,
  listIntents,
} from '../../shared/domain/intents/intent-service.js';
import { presentIntent } from '../../shared/http/presenters.js';
import {
  type CliContext,
  type Command,
  compact,
  type Flags,
  need,
  opt,
  optInt,
  withGit,
} from './cli-context.js';
import { readJson } from './risk-commands.js';

function status(flags: Flags, name: string): IntentStatus | undefined {
  const value = opt(flags, name);
  if (value === undefined) return undefined;
  if (!(INTENT_STATUSES as readonly string[]).includes(value)) {
    throw new Error(`--${name} must be one of ${INTENT_STATUSES.join(', ')}`);
  }
  return value as IntentStatus;
}

function level(flags: Flags): RiskLevel | undefined {
  const value = opt(flags, 'risk-level');
  if (value === undefined) return undefined;
  if (!(RISK_LEVELS as readonly string[]).includes(value)) {
    throw new Error(`--risk-level must be one of ${RISK_LEVELS.join(', ')}`);
  }
  return value as RiskLevel;
}

/** The original's intent JSON (snake_case); unknown fields are ignored. */
const IntentFile = z.object({
  id: z.string().min(1).optional(),
  source: z.string().min(1).optional(),
  target: z.string().min(1).optional(),
  risk_level: z.enum(RISK_LEVELS).optional(),
  priority: z.number().int().optional(),
  semantic: z.record(z.string(), z.unknown()).optional(),
  technical: z.record(z.string(), z.unknown()).optional(),
  checks_required: z.array(z.string()).optional(),
  dependencies: z.array(z.string()).optional(),
  tenant_id: z.string().min(1).nullable().optional(),
  plan_id: z.string().min(1).nullable().optional(),
  created_by: z.string().min(1).optional(),
});
type IntentFile = z.infer<typeof IntentFile>;

async function fromFile(flags: Flags): Promise<IntentFile> {
  const file = opt(flags, 'file');
  if (!file) return {};
  const parsed = IntentFile.safeParse(await readJson(file));
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new Error(`invalid intent file ${file}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

function refOf(technical: IntentFile['technical'], key: string) {
  const value = technical?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The source branch: `--from-branch`, `--source`, then the file's. */
function sourceOf(flags: Flags, file: IntentFile): string {
  const source =
    opt(flags, 'from-branch') ??
    opt(flags, 'source') ??
    file.source ??
    refOf(file.technical, 'source_ref');
  if (!source) throw new Error('--source, --from-branch or --file is required');
  return source;
}

/** `--intent-id`, the file's id, or `branch-{12hex}` for `--from-branch`. */
function idOf(ctx: CliContext, file: IntentFile): string | undefined {
  const id = opt(ctx.flags, 'intent-id') ?? file.id;
  if (id !== undefined || opt(ctx.flags, 'from-branch') === undefined) {
    return id;
  }
  return `branch-${ctx.deps.ids.hex(12)}`;
}

/**
 * `intent create --file X.json | --from-branch B | --source S` with
 * `[--intent-id --target --risk-level --priority --tenant-id]`; flags win
 * over the file's fields.
 */
const create: Command = async (ctx) => {
  const { deps, actor, flags } = ctx;
  const file = await fromFile(flags);
  const intent = await createIntent(deps, actor, {
    ...compact({
      id: idOf(ctx, file),
      target:
        opt(flags, 'target') ??
        file.target ??
        refOf(file.technical, 'target_ref'),
      riskLevel: level(flags) ?? file.risk_level,
      priority: optInt(flags, 'priority') ?? file.priority,
      tenantId: opt(flags, 'tenant-id') ?? file.tenant_id ?? undefined,
      semantic: file.semantic,
      technical: file.technical,
      checksRequired: file.checks_required,
      dependencies: file.dependencies,
      planId: file.plan_id ?? undefined,
      createdBy: file.created_by,
    }),
    source: sourceOf(flags, file),
  });
  return presentIntent(intent);
};

const list: Command = async ({ deps, actor, flags }) => {
  const page = await listIntents(
    deps,
    actor,
    compact({
      status: status(flags, 'status'),
      tenantId: opt(flags, 'tenant-id'),
    }),
    compact({ limit: optInt(flags, 'limit') }),
  );
  return page.items.map(presentIntent);
};

const get: Command = async ({ deps, actor, flags }) =>
  presentIntent(await getIntent(deps, actor, need(flags, 'intent-id')));

const setStatus: Command = async ({ deps, actor, flags }) => {
  const to = status(flags, 'status');
  if (!to) throw new Error('--status is required');
  const intent = await changeIntentStatus(
    deps,
    actor,
    need(flags, 'intent-id'),
    {
      status: to,
      force: flags.force === true,
    },
  );
  return presentIntent(intent);
};

const validate: Command = async ({ deps, flags }) => {
  const outcome = await validateIntent(deps, need(flags, 'intent-id'), {
    skipChecks: flags['skip-checks'] === true,
    reuseSimulation: flags['use-last-simulation'] !== false,
  });
  return {
    decision: outcome.decision,
    trace_id: outcome.traceId,
    reasons: outcome.reasons,
    risk_score: outcome.risk?.riskScore ?? null,
    verdict: outcome.policy?.verdict ?? null,
    intent: presentIntent(outcome.intent),
  };
};

/** `simulate --source S [--target T]` (or `--intent-id`: its branches). */
const simulate: Command = async ({ deps, actor, flags }) => {
  const id = opt(flags, 'intent-id');
  const intent = id === undefined ? null : await getIntent(deps, actor, id);
  const source = opt(flags, 'source') ?? intent?.source;
  if (!source) throw new Error('--source or --intent-id is required');
  const target = opt(flags, 'target') ?? intent?.target ?? 'main';
  return deps.scm.simulateMerge(source, target);
};

/** `intent create|list|get|show|status`, `validate`, `simulate`. */
export const intentCommands: Record<string, Command> = {
  'intent create': create,
  'intent list': list,
  'intent get': get,
  'intent show': get,
  'intent status': setStatus,
  validate: withGit(validate),
  simulate: withGit(simulate),
};
