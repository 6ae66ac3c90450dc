/**
 * The intent: one proposed change (a pull request, a merge-queue group, or a
 * change posted by a person, a CI bot or an AI agent) on its way to a target.
 */
export const INTENT_STATUSES = [
  'READY',
  'VALIDATED',
  'QUEUED',
  'MERGED',
  'REJECTED',
] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Who originated the change; `api` is the default of POST /intents. */
export const ORIGIN_TYPES = ['human', 'agent', 'integration', 'api'] as const;
export type OriginType = (typeof ORIGIN_TYPES)[number];

/** JSON-safe free-form data (semantic and technical metadata). */
export type JsonObject = { [key: string]: unknown };

/**
 * An intent as stored. Timestamps are ISO-8601 UTC strings; `version` starts
 * at 1 and goes up by one on every write (optimistic concurrency).
 */
export interface Intent {
  id: string;
  source: string;
  target: string;
  status: IntentStatus;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  riskLevel: RiskLevel;
  priority: number;
  semantic: JsonObject;
  technical: JsonObject;
  checksRequired: string[];
  dependencies: string[];
  retries: number;
  tenantId: string | null;
  planId: string | null;
  originType: OriginType;
  version: number;
}

/** Fields a caller may change without a status transition. */
export type IntentPatch = Partial<
  Pick<
    Intent,
    | 'source'
    | 'target'
    | 'riskLevel'
    | 'priority'
    | 'semantic'
    | 'technical'
    | 'checksRequired'
    | 'dependencies'
    | 'retries'
    | 'planId'
  >
>;

/** Defaults of the reference data model (§2). */
export const INTENT_DEFAULTS = {
  target: 'main',
  riskLevel: 'medium',
  priority: 3,
  createdBy: 'system',
  originType: 'api',
} as const satisfies Partial<Intent>;

/** Input to build a fresh intent; the rest takes the defaults. */
export type NewIntentInput = Pick<Intent, 'id' | 'source'> &
  Partial<Omit<Intent, 'id' | 'source' | 'status' | 'version' | 'updatedAt'>>;

/** Builds a READY intent at version 1 with the reference defaults. */
export function newIntent(input: NewIntentInput, nowIso: string): Intent {
  return {
    target: INTENT_DEFAULTS.target,
    createdBy: INTENT_DEFAULTS.createdBy,
    riskLevel: INTENT_DEFAULTS.riskLevel,
    priority: INTENT_DEFAULTS.priority,
    semantic: {},
    technical: {},
    checksRequired: [],
    dependencies: [],
    retries: 0,
    tenantId: null,
    planId: null,
    originType: INTENT_DEFAULTS.originType,
    createdAt: nowIso,
    ...input,
    status: 'READY',
    updatedAt: nowIso,
    version: 1,
  };
}
