import { readFile } from 'node:fs/promises';
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
  type Command,
  compact,
  type Flags,
  need,
  opt,
  optInt,
} from './cli-context.js';

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

async function fromFile(flags: Flags): Promise<Record<string, unknown>> {
  const file = opt(flags, 'file');
  if (!file) return {};
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

const create: Command = async ({ deps, actor, flags }) => {
  const file = await fromFile(flags);
  const branch = opt(flags, 'from-branch');
  const source = branch ?? opt(flags, 'source') ?? String(file.source ?? '');
  if (!source) throw new Error('--source, --from-branch or --file is required');
  const intent = await createIntent(deps, actor, {
    ...compact({
      id:
        opt(flags, 'intent-id') ??
        (typeof file.id === 'string' ? file.id : undefined),
      target:
        opt(flags, 'target') ??
        (typeof file.target === 'string' ? file.target : undefined),
      riskLevel: level(flags),
      priority: optInt(flags, 'priority'),
      tenantId: opt(flags, 'tenant-id'),
    }),
    source,
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

const simulate: Command = async ({ deps, flags }) =>
  deps.scm.simulateMerge(need(flags, 'source'), opt(flags, 'target') ?? 'main');

/** `intent create|list|get|status`, `validate`, `simulate`. */
export const intentCommands: Record<string, Command> = {
  'intent create': create,
  'intent list': list,
  'intent get': get,
  'intent status': setStatus,
  validate,
  simulate,
};
