/**
 * Governance projections: read models computed on demand from the event log
 * and the intents (reference §7). Reads never append events (DECISIONS 8);
 * the few writes here (policy updates, shadow evaluation, calibration,
 * agent authorization, health snapshots) are named as such and audited.
 */
export type { AgentPerformance } from './agent-performance.js';
export { agentPerformance, agentScores } from './agent-performance.js';
export type {
  AgentPolicyView,
  AuthorizeRequest,
} from './agent-policy-admin.js';
export {
  authorizeAgentAction,
  listAgentPolicies,
  setAgentPolicy,
} from './agent-policy-admin.js';
export type { CalibrationOutcome } from './calibration.js';
export { runCalibration } from './calibration.js';
export type { ChangeHealth } from './change-health.js';
export { changeHealth, changeHealthScore } from './change-health.js';
export type { TenantCompliance, TenantThresholds } from './compliance.js';
export {
  complianceAlerts,
  complianceStats,
  listComplianceThresholds,
  tenantCompliance,
  tenantThresholds,
} from './compliance.js';
export type { ThresholdsUpdate } from './compliance-admin.js';
export { setComplianceThresholds } from './compliance-admin.js';
export type { Dashboard, DashboardAlerts, QueueSummary } from './dashboard.js';
export { dashboard, dashboardAlerts, summary } from './dashboard.js';
export type { ReadDeps, WriteDeps } from './event-reader.js';
export {
  latestEvent,
  READ_CAP,
  readEvents,
  recentEvents,
  tenantScope,
} from './event-reader.js';
export type { HealthStatus } from './health-score.js';
export { healthStatus } from './health-score.js';
export { takeHealthSnapshot } from './health-snapshot.js';
export type { IntegrationMetrics } from './integration-metrics.js';
export { integrationMetrics } from './integration-metrics.js';
export { intentTenant, writeTenant } from './intent-scope.js';
export type { Lesson } from './learning.js';
export { changeLessons, healthLessons, reviewLessons } from './learning.js';
export type { HealthPrediction, HealthSignal } from './predict-health.js';
export { predictFromSnapshots, predictHealth } from './predict-health.js';
export type {
  IssuePrediction,
  IssueSignal,
  WindowStats,
} from './predict-issues.js';
export { issueSignals, predictIssues, windowStats } from './predict-issues.js';
export type { RepoHealth } from './repo-health.js';
export { computeRepoHealth, repoHealth } from './repo-health.js';
export type { RiskGateReport } from './risk-gate-report.js';
export { riskGateReport } from './risk-gate-report.js';
export { diagnosticsOf } from './risk-payload.js';
export type {
  PolicyReadDeps,
  PolicyWriteDeps,
  TenantRiskPolicyView,
} from './risk-policy-admin.js';
export {
  effectiveRiskPolicy,
  listRiskPolicies,
  setRiskPolicy,
} from './risk-policy-admin.js';
export type { DiagnosticsEntry, RiskReview } from './risk-review.js';
export { impactEdges, recentDiagnostics, riskReview } from './risk-review.js';
export type { ShadowEvaluation } from './risk-shadow.js';
export { riskShadow } from './risk-shadow.js';
export type {
  ChangeHealthPoint,
  EntropyPoint,
  HealthPoint,
  RiskPoint,
} from './trends.js';
export {
  changeHealthTrend,
  entropyTrend,
  healthTrend,
  riskTrend,
} from './trends.js';
