import type { Store } from '../../ports/store.js';
import { allIntents } from '../engine/queue-admin.js';
import type { JsonObject } from '../intent.js';
import {
  type ComplianceAlert,
  type ComplianceReport,
  type ComplianceStats,
  type ComplianceThresholds,
  complianceReport,
  DEFAULT_COMPLIANCE_THRESHOLDS,
  resolveComplianceThresholds,
} from '../policy/index.js';
import { type ReadDeps, readEvents, tenantScope } from './event-reader.js';
import { isMergeable } from './payload-fields.js';

/** A compliance report of one tenant (null: every tenant). */
export interface TenantCompliance extends ComplianceReport {
  tenant_id: string | null;
  timestamp: string;
  thresholds: ComplianceThresholds;
}

/** A tenant's stored thresholds and what they resolve to. */
export interface TenantThresholds {
  tenant_id: string;
  /** Only the fields the tenant set. */
  overrides: JsonObject;
  /** The overrides merged over the defaults. */
  thresholds: ComplianceThresholds;
  version: number;
  updated_at: string;
}

/**
 * A tenant's thresholds: its stored fields merged over the defaults; the
 * defaults for null or a tenant with nothing stored.
 * @throws ValidationError when the stored document is invalid.
 */
export async function tenantThresholds(
  store: Store,
  tenantId: string | null,
): Promise<ComplianceThresholds> {
  if (tenantId === null) return DEFAULT_COMPLIANCE_THRESHOLDS;
  const stored = await store.policies.getComplianceThresholds(tenantId);
  return resolveComplianceThresholds(
    stored?.data as Partial<ComplianceThresholds> | undefined,
  );
}

/**
 * The report's counts from the log: every simulation (capped at 10k),
 * `queue.reset` plus `intent.requeued`, and the intents tracked.
 */
export async function complianceStats(
  store: Store,
  tenantId: string | null,
): Promise<ComplianceStats> {
  const scope = tenantScope(tenantId);
  const [sims, resets, requeues, intents] = await Promise.all([
    readEvents(store, { type: 'simulation.completed', ...scope }),
    store.events.count({ type: 'queue.reset', ...scope }),
    store.events.count({ type: 'intent.requeued', ...scope }),
    allIntents(store, tenantId),
  ]);
  const mergeable = sims.filter((e) => isMergeable(e.payload)).length;
  return {
    simulations: sims.length,
    mergeable,
    conflicts: sims.length - mergeable,
    retriesTotal: resets + requeues,
    queueTracked: intents.length,
  };
}

/** The compliance report against the tenant's thresholds. Appends nothing. */
export async function tenantCompliance(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<TenantCompliance> {
  const [stats, thresholds] = await Promise.all([
    complianceStats(deps.store, tenantId),
    tenantThresholds(deps.store, tenantId),
  ]);
  return {
    tenant_id: tenantId,
    timestamp: deps.clock.nowIso(),
    thresholds,
    ...complianceReport(stats, thresholds),
  };
}

/** Only the failed checks, as alerts. */
export async function complianceAlerts(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<{
  tenant_id: string | null;
  passed: boolean;
  alerts: readonly ComplianceAlert[];
}> {
  const report = await tenantCompliance(deps, tenantId);
  return { tenant_id: tenantId, passed: report.passed, alerts: report.alerts };
}

/** Stored thresholds, of one tenant or of all (null). */
export async function listComplianceThresholds(
  store: Store,
  tenantId: string | null,
): Promise<TenantThresholds[]> {
  const all = await store.policies.listComplianceThresholds();
  return all
    .filter((row) => tenantId === null || row.tenantId === tenantId)
    .map((row) => ({
      tenant_id: row.tenantId,
      overrides: row.data,
      thresholds: resolveComplianceThresholds(
        row.data as Partial<ComplianceThresholds>,
      ),
      version: row.version,
      updated_at: row.updatedAt,
    }));
}
