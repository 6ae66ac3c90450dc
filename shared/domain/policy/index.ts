/**
 * Policy domain: profiles and gates, the tenant risk gate, agent
 * authorization, compliance and calibration. Pure code: no I/O, no clock,
 * no environment; loading the policy file is an adapter's job
 * (`shared/adapters/policy-file`).
 */
export type {
  ActionLimits,
  AgentPolicy,
  AgentPolicyInput,
  BlastSeverity,
} from './agent-policy.js';
export {
  BLAST_SEVERITIES,
  buildAgentPolicy,
  DEFAULT_ACTION_MIN_ATL,
  defaultAgentPolicy,
} from './agent-policy.js';
export type {
  AgentAuthorization,
  AgentAuthorizationInput,
  EffectiveLimits,
} from './authorize-agent.js';
export {
  authorizeAgent,
  blastSeverityFor,
  effectiveLimits,
} from './authorize-agent.js';
export type {
  CalibrationPercentiles,
  CalibrationResult,
  EntropyBudgets,
} from './calibrate.js';
export { calibrate } from './calibrate.js';
export type {
  ComplianceAlert,
  ComplianceCheck,
  ComplianceCheckName,
  ComplianceReport,
  ComplianceStats,
} from './compliance-report.js';
export { complianceReport } from './compliance-report.js';
export type { ComplianceThresholds } from './compliance-thresholds.js';
export {
  DEFAULT_COMPLIANCE_THRESHOLDS,
  resolveComplianceThresholds,
} from './compliance-thresholds.js';
export type {
  GateName,
  GateResult,
  PolicyEvaluation,
  PolicyEvaluationInput,
  SecurityFinding,
} from './evaluate-policy.js';
export { evaluatePolicy } from './evaluate-policy.js';
export type {
  PolicyConfig,
  PolicyConfigOverride,
  PolicyProfile,
  QueuePolicy,
  RiskGateMode,
  RiskPolicy,
  SecurityPolicy,
} from './policy-config.js';
export {
  DEFAULT_POLICY_CONFIG,
  DEFAULT_PROFILES,
  DEFAULT_RISK_POLICY,
  isRiskLevel,
  RISK_GATE_MODES,
} from './policy-config.js';
export type { ResolvedProfile } from './profile-for.js';
export { profileFor } from './profile-for.js';
export {
  parsePolicyConfigOverride,
  resolvePolicyConfig,
} from './resolve-policy-config.js';
export type {
  RiskBreach,
  RiskGateInput,
  RiskGateResult,
  RiskMetric,
  TenantRiskPolicy,
  VersionedTenantRiskPolicy,
} from './risk-gate.js';
export {
  buildTenantRiskPolicy,
  evaluateRiskGate,
  rolloutBucket,
} from './risk-gate.js';
