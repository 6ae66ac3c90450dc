import type {
  Intent,
  IntentPatch,
  IntentStatus,
  OriginType,
  RiskLevel,
} from '../../domain/intent.js';
import {
  isoToMs,
  parseJsonObject,
  parseStringArray,
  toJsonText,
} from './sqlite-codec.js';

/** An `intents` row; JSON columns as text. */
export interface IntentRow {
  id: string;
  source: string;
  target: string;
  status: string;
  created_at: string;
  created_ms: number;
  updated_at: string;
  created_by: string;
  risk_level: string;
  priority: number;
  semantic: string;
  technical: string;
  checks_required: string;
  dependencies: string;
  retries: number;
  tenant_id: string | null;
  plan_id: string | null;
  origin_type: string;
  version: number;
}

/**
 * The fields `update` and a transition's patch may change. Listed at runtime
 * too, so a patch smuggling `status` or `version` past the types is ignored
 * instead of bypassing the state machine or the version check.
 */
const PATCHABLE = [
  'source',
  'target',
  'riskLevel',
  'priority',
  'semantic',
  'technical',
  'checksRequired',
  'dependencies',
  'retries',
  'planId',
] as const satisfies readonly (keyof IntentPatch)[];

/** `intent` with the patchable fields of `patch` applied. */
export function applyPatch(intent: Intent, patch: IntentPatch): Intent {
  const next: Intent = { ...intent };
  const target = next as Record<keyof IntentPatch, unknown>;
  for (const field of PATCHABLE) {
    const value = patch[field];
    if (value !== undefined) target[field] = value;
  }
  return next;
}

/** The row of an intent. @throws ValidationError on a bad `createdAt`. */
export function intentToRow(intent: Intent): IntentRow {
  return {
    id: intent.id,
    source: intent.source,
    target: intent.target,
    status: intent.status,
    created_at: intent.createdAt,
    created_ms: isoToMs(intent.createdAt, 'createdAt'),
    updated_at: intent.updatedAt,
    created_by: intent.createdBy,
    risk_level: intent.riskLevel,
    priority: intent.priority,
    semantic: toJsonText(intent.semantic),
    technical: toJsonText(intent.technical),
    checks_required: toJsonText(intent.checksRequired),
    dependencies: toJsonText(intent.dependencies),
    retries: intent.retries,
    tenant_id: intent.tenantId ?? null,
    plan_id: intent.planId ?? null,
    origin_type: intent.originType,
    version: intent.version,
  };
}

/** The intent of a row. */
export function rowToIntent(row: IntentRow): Intent {
  return {
    id: row.id,
    source: row.source,
    target: row.target,
    status: row.status as IntentStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    riskLevel: row.risk_level as RiskLevel,
    priority: row.priority,
    semantic: parseJsonObject(row.semantic),
    technical: parseJsonObject(row.technical),
    checksRequired: parseStringArray(row.checks_required),
    dependencies: parseStringArray(row.dependencies),
    retries: row.retries,
    tenantId: row.tenant_id,
    planId: row.plan_id,
    originType: row.origin_type as OriginType,
    version: row.version,
  };
}
