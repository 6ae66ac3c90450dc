import {
  changeHealth,
  changeHealthTrend,
  complianceAlerts,
  entropyTrend,
  healthTrend,
  intentTenant,
  listComplianceThresholds,
  predictHealth,
  predictIssues,
  repoHealth,
  setComplianceThresholds,
  tenantCompliance,
  tenantThresholds,
} from '../../shared/domain/projections/index.js';
import {
  type CliContext,
  type Command,
  compact,
  type Flags,
  need,
  opt,
  optInt,
  optNum,
} from './cli-context.js';
import { TextOutput } from './governance-commands.js';

/** Exit code of `compliance alerts --fail-on-alert` with alerts (original). */
export const ALERT_EXIT_CODE = 3;

function tenant(flags: Flags): string | null {
  return opt(flags, 'tenant-id') ?? null;
}

/** `compliance alerts [--tenant-id] [--fail-on-alert]`: exit 3 on alerts. */
const alerts: Command = async ({ deps, flags }) => {
  const result = await complianceAlerts(deps, tenant(flags));
  const failed = flags['fail-on-alert'] === true && result.alerts.length > 0;
  return new TextOutput(
    `${JSON.stringify(result, null, 2)}\n`,
    failed ? ALERT_EXIT_CODE : 0,
  );
};

/**
 * `compliance threshold-set --tenant-id [--min-mergeable-rate
 * --max-conflict-rate --max-retries-total --max-queue-tracked]`.
 */
const thresholdSet: Command = async ({ deps, actor, flags }) =>
  setComplianceThresholds(deps, {
    tenantId: need(flags, 'tenant-id'),
    changes: compact({
      min_mergeable_rate: optNum(flags, 'min-mergeable-rate'),
      max_conflict_rate: optNum(flags, 'max-conflict-rate'),
      max_retries_total: optInt(flags, 'max-retries-total'),
      max_queue_tracked: optInt(flags, 'max-queue-tracked'),
    }),
    actor: actor.actor,
  });

/** `compliance threshold-get --tenant-id`: stored, else the defaults. */
const thresholdGet: Command = async ({ deps, flags }) => {
  const tenantId = need(flags, 'tenant-id');
  const [stored] = await listComplianceThresholds(deps.store, tenantId);
  if (stored) return stored;
  const thresholds = await tenantThresholds(deps.store, tenantId);
  return { tenant_id: tenantId, overrides: {}, thresholds, version: null };
};

/** `--days N` (default 30). */
function days(flags: Flags): number {
  return optInt(flags, 'days') ?? 30;
}

/** `health change --intent-id`: of one change. */
const change: Command = async ({ deps, actor, flags }: CliContext) => {
  const intentId = need(flags, 'intent-id');
  const tenantId = await intentTenant(deps, actor, intentId);
  return changeHealth(deps, intentId, tenantId);
};

/** `health change-trend [--intent-id --tenant-id --days]`. */
const changeTrend: Command = async ({ deps, flags }) => {
  const items = await changeHealthTrend(
    deps,
    tenant(flags),
    days(flags),
    opt(flags, 'intent-id'),
  );
  return { days: days(flags), items };
};

/**
 * `compliance report|alerts|threshold-set|threshold-get|threshold-list`,
 * `health now|trend|change|change-trend|entropy|predict`, `predictions`.
 * The health reads append nothing (unlike the original's).
 */
export const complianceCommands: Record<string, Command> = {
  'compliance report': async ({ deps, flags }) =>
    tenantCompliance(deps, tenant(flags)),
  'compliance alerts': alerts,
  'compliance threshold-set': thresholdSet,
  'compliance threshold-get': thresholdGet,
  'compliance threshold-list': async ({ deps, flags }) =>
    listComplianceThresholds(deps.store, tenant(flags)),
  'health now': async ({ deps, flags }) => repoHealth(deps, tenant(flags)),
  'health trend': async ({ deps, flags }) => ({
    days: days(flags),
    items: await healthTrend(deps, tenant(flags), days(flags)),
  }),
  'health change': change,
  'health change-trend': changeTrend,
  'health entropy': async ({ deps, flags }) => ({
    days: days(flags),
    items: await entropyTrend(deps, tenant(flags), days(flags)),
  }),
  'health predict': async ({ deps, flags }) =>
    predictHealth(deps, tenant(flags), optInt(flags, 'horizon-days') ?? 7),
  predictions: async ({ deps, flags }) => predictIssues(deps, tenant(flags)),
};
