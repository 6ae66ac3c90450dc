import type { StoredPolicy } from '../../ports/store.js';
import { buildEvent } from '../event.js';
import type { JsonObject } from '../intent.js';
import {
  buildTenantRiskPolicy,
  type PolicyConfig,
  type RiskPolicy,
} from '../policy/index.js';
import type { ReadDeps, WriteDeps } from './event-reader.js';

/**
 * A tenant's stored policy document (`risk_policies` row): the risk gate
 * fields, plus an optional `profiles` override that calibration writes
 * (DECISIONS 9). Each upsert bumps the version.
 */

/** The fields of a tenant risk policy. */
const RISK_KEYS = [
  'max_risk_score',
  'max_damage_score',
  'max_propagation_score',
  'mode',
  'enforce_ratio',
] as const satisfies readonly (keyof RiskPolicy)[];

/** Deps of the tenant policy use cases: the config supplies the defaults. */
export type PolicyReadDeps = ReadDeps & { policy: PolicyConfig };
export type PolicyWriteDeps = WriteDeps & { policy: PolicyConfig };

/** A tenant's policy as the API shows it. */
export interface TenantRiskPolicyView extends RiskPolicy {
  tenant_id: string;
  /** The calibrated profile override, or null. */
  profiles: JsonObject | null;
  version: number;
  updated_at: string;
}

function riskPart(data: JsonObject): Partial<RiskPolicy> {
  const out: Record<string, unknown> = {};
  for (const key of RISK_KEYS) {
    if (key in data) out[key] = data[key];
  }
  return out as Partial<RiskPolicy>;
}

function profilesPart(data: JsonObject | undefined): JsonObject | null {
  const value = data?.profiles;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : null;
}

function pickRisk(policy: RiskPolicy): RiskPolicy {
  return {
    max_risk_score: policy.max_risk_score,
    max_damage_score: policy.max_damage_score,
    max_propagation_score: policy.max_propagation_score,
    mode: policy.mode,
    enforce_ratio: policy.enforce_ratio,
  };
}

function view(deps: PolicyReadDeps, row: StoredPolicy): TenantRiskPolicyView {
  const policy = buildTenantRiskPolicy(
    row.tenantId,
    riskPart(row.data),
    deps.policy.risk,
  );
  return {
    ...policy,
    profiles: profilesPart(row.data),
    version: row.version,
    updated_at: row.updatedAt,
  };
}

/**
 * The risk policy a tenant's gate uses: its stored fields over the config's
 * `risk` section; the config alone without a tenant or a stored row.
 */
export async function effectiveRiskPolicy(
  deps: PolicyReadDeps,
  tenantId: string | null,
): Promise<{ policy: RiskPolicy; version: number | null }> {
  if (tenantId === null) return { policy: deps.policy.risk, version: null };
  const stored = await deps.store.policies.getRiskPolicy(tenantId);
  if (!stored) return { policy: deps.policy.risk, version: null };
  const policy = pickRisk(view(deps, stored));
  return { policy, version: stored.version };
}

/** Stored tenant policies, of one tenant or all (null). */
export async function listRiskPolicies(
  deps: PolicyReadDeps,
  tenantId: string | null,
): Promise<TenantRiskPolicyView[]> {
  const rows = await deps.store.policies.listRiskPolicies();
  return rows
    .filter((row) => tenantId === null || row.tenantId === tenantId)
    .map((row) => view(deps, row));
}

/**
 * Sets some fields of a tenant's risk policy over its current one, keeps
 * any profile override, bumps the version and appends
 * `risk.policy_updated` (the original's API path did not).
 * @throws ValidationError on an unknown field or an out-of-range value.
 */
export async function setRiskPolicy(
  deps: PolicyWriteDeps,
  input: { tenantId: string; changes: Partial<RiskPolicy>; actor: string },
): Promise<{ ok: true; tenant_id: string; version: number } & RiskPolicy> {
  const current = await deps.store.policies.getRiskPolicy(input.tenantId);
  const { policy: base } = await effectiveRiskPolicy(deps, input.tenantId);
  const next = pickRisk(
    buildTenantRiskPolicy(input.tenantId, input.changes, base),
  );
  const profiles = profilesPart(current?.data);
  const saved = await deps.store.policies.upsertRiskPolicy(input.tenantId, {
    ...next,
    ...(profiles === null ? {} : { profiles }),
  });
  await deps.store.events.append(
    buildEvent(
      {
        type: 'risk.policy_updated',
        tenantId: input.tenantId,
        payload: {
          tenant_id: input.tenantId,
          changes: { ...input.changes },
          policy: { ...next },
          version: saved.version,
          actor: input.actor,
        },
      },
      deps.ids,
      deps.clock.nowIso(),
    ),
  );
  return {
    ok: true,
    tenant_id: input.tenantId,
    version: saved.version,
    ...next,
  };
}

/**
 * Stores `profiles` as the tenant's profile override, keeping its risk
 * fields (the config's when none are stored). Used by calibration's apply.
 */
export async function storeProfileOverride(
  deps: PolicyWriteDeps,
  tenantId: string,
  profiles: JsonObject,
): Promise<StoredPolicy> {
  const { policy } = await effectiveRiskPolicy(deps, tenantId);
  return deps.store.policies.upsertRiskPolicy(tenantId, {
    ...pickRisk(policy),
    profiles,
  });
}
