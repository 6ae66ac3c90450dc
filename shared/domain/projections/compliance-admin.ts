import { buildEvent } from '../event.js';
import type { JsonObject } from '../intent.js';
import {
  type ComplianceThresholds,
  resolveComplianceThresholds,
} from '../policy/index.js';
import type { WriteDeps } from './event-reader.js';

/** The outcome of a thresholds update. */
export interface ThresholdsUpdate {
  ok: true;
  tenant_id: string;
  thresholds: ComplianceThresholds;
  version: number;
}

/**
 * Sets some of a tenant's compliance thresholds: the changes merge over the
 * tenant's stored fields, the result is checked against the rules (rates
 * 0..1, counts non-negative integers, no unknown names), stored, and
 * audited with `compliance.thresholds_updated`.
 * @throws ValidationError on an unknown field or an out-of-range value.
 */
export async function setComplianceThresholds(
  deps: WriteDeps,
  input: {
    tenantId: string;
    changes: Partial<ComplianceThresholds>;
    actor: string;
  },
): Promise<ThresholdsUpdate> {
  const { store } = deps;
  const current = await store.policies.getComplianceThresholds(input.tenantId);
  const overrides: JsonObject = { ...current?.data, ...input.changes };
  const thresholds = resolveComplianceThresholds(
    overrides as Partial<ComplianceThresholds>,
  );
  const saved = await store.policies.upsertComplianceThresholds(
    input.tenantId,
    overrides,
  );
  await store.events.append(
    buildEvent(
      {
        type: 'compliance.thresholds_updated',
        tenantId: input.tenantId,
        payload: {
          tenant_id: input.tenantId,
          changes: { ...input.changes },
          thresholds: { ...thresholds },
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
    thresholds,
    version: saved.version,
  };
}
