import { queueState } from '../engine/queue-admin.js';
import { type TenantCompliance, tenantCompliance } from './compliance.js';
import type { ReadDeps } from './event-reader.js';
import {
  type IntegrationMetrics,
  integrationMetrics,
} from './integration-metrics.js';
import { type HealthSignal, predictHealth } from './predict-health.js';
import {
  type IssuePrediction,
  type IssueSignal,
  predictIssues,
} from './predict-issues.js';
import { type RepoHealth, repoHealth } from './repo-health.js';
import { type RiskPoint, riskTrend } from './trends.js';

/** Queue counts for summaries. */
export interface QueueSummary {
  total: number;
  by_status: Record<string, number>;
  pending_count: number;
}

/** The dashboard (reference §6 `/dashboard`). */
export interface Dashboard {
  tenant_id: string | null;
  timestamp: string;
  health: RepoHealth;
  queue: QueueSummary;
  compliance: TenantCompliance;
  /** The newest 50 points of the risk trend, oldest first. */
  risk_trend: RiskPoint[];
  predictions: IssuePrediction;
  metrics: IntegrationMetrics;
}

/** Points of the risk trend the dashboard shows. */
export const DASHBOARD_TREND_POINTS = 50;

async function queueSummary(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<QueueSummary> {
  const state = await queueState(deps.store, tenantId);
  return {
    total: state.total,
    by_status: state.by_status,
    pending_count: state.pending.length,
  };
}

/** `/summary`: health and queue. Appends nothing. */
export async function summary(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<{ health: RepoHealth; queue: QueueSummary }> {
  const [health, queue] = await Promise.all([
    repoHealth(deps, tenantId),
    queueSummary(deps, tenantId),
  ]);
  return { health, queue };
}

/** Every section of the dashboard in one read. Appends nothing. */
export async function dashboard(
  deps: ReadDeps,
  tenantId: string | null,
  riskTrendDays = 30,
): Promise<Dashboard> {
  const [health, queue, compliance, trend, predictions, metrics] =
    await Promise.all([
      repoHealth(deps, tenantId),
      queueSummary(deps, tenantId),
      tenantCompliance(deps, tenantId),
      riskTrend(deps, tenantId, riskTrendDays),
      predictIssues(deps, tenantId),
      integrationMetrics(deps, tenantId),
    ]);
  return {
    tenant_id: tenantId,
    timestamp: deps.clock.nowIso(),
    health,
    queue,
    compliance,
    risk_trend: trend.slice(-DASHBOARD_TREND_POINTS),
    predictions,
    metrics,
  };
}

/** Everything that needs attention now. */
export interface DashboardAlerts {
  tenant_id: string | null;
  compliance_alerts: TenantCompliance['alerts'];
  prediction_signals: IssueSignal[];
  health_signals: HealthSignal[];
  total: number;
}

/** Compliance alerts, predicted issues and health-trend signals. */
export async function dashboardAlerts(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<DashboardAlerts> {
  const [compliance, issues, forecast] = await Promise.all([
    tenantCompliance(deps, tenantId),
    predictIssues(deps, tenantId),
    predictHealth(deps, tenantId),
  ]);
  return {
    tenant_id: tenantId,
    compliance_alerts: compliance.alerts,
    prediction_signals: issues.signals,
    health_signals: forecast.signals,
    total:
      compliance.alerts.length +
      issues.signals.length +
      forecast.signals.length,
  };
}
