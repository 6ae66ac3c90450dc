import { ValidationError } from '../errors.js';
import { buildEvent, type EventType } from '../event.js';
import { type JsonObject, RISK_LEVELS } from '../intent.js';
import { type CalibrationResult, calibrate } from '../policy/index.js';
import { readEvents, tenantScope } from './event-reader.js';
import { numberField } from './payload-fields.js';
import {
  type PolicyWriteDeps,
  storeProfileOverride,
} from './risk-policy-admin.js';

/** A calibration run, and whether it was applied to the tenant. */
export type CalibrationOutcome = CalibrationResult & {
  tenant_id: string | null;
  applied: boolean;
  /** The tenant policy version written by the apply; null otherwise. */
  version: number | null;
};

/**
 * Calibrates entropy budgets from the newest 10k `risk.evaluated` entropy
 * scores of the tenant (null: all), over the config's profiles. Returns the
 * original's raw budgets and the monotonic ones (DECISIONS 9) and appends
 * `calibration.completed`. With `apply`, the monotonic budgets become the
 * tenant's profile override (a new policy version) and
 * `policy.calibration_applied` is appended: never applied silently.
 * @throws ValidationError when applying without a tenant or without data
 *   (then nothing is appended).
 */
export async function runCalibration(
  deps: PolicyWriteDeps,
  input: { tenantId: string | null; apply: boolean; actor: string },
): Promise<CalibrationOutcome> {
  const { tenantId } = input;
  if (input.apply && tenantId === null) {
    throw new ValidationError('Applying a calibration needs a tenant', [
      { path: 'tenant_id', message: 'required with apply' },
    ]);
  }
  const risks = await readEvents(deps.store, {
    type: 'risk.evaluated',
    ...tenantScope(tenantId),
  });
  const result = calibrate(
    risks.map((e) => numberField(e.payload, 'entropy_score')),
    deps.policy.profiles,
  );
  if (input.apply && result.data_points === 0) {
    throw new ValidationError('No risk evaluations to calibrate from');
  }
  const summary = {
    tenant_id: tenantId,
    data_points: result.data_points,
    raw: { ...result.raw },
    budgets: { ...result.budgets },
    capped: [...result.capped],
    actor: input.actor,
  };
  await append(deps, 'calibration.completed', tenantId, summary);
  if (!input.apply || tenantId === null) {
    return { ...result, tenant_id: tenantId, applied: false, version: null };
  }
  const saved = await storeProfileOverride(deps, tenantId, overrideOf(result));
  await append(deps, 'policy.calibration_applied', tenantId, {
    ...summary,
    version: saved.version,
  });
  return {
    ...result,
    tenant_id: tenantId,
    applied: true,
    version: saved.version,
  };
}

function overrideOf(result: CalibrationResult): JsonObject {
  return Object.fromEntries(
    RISK_LEVELS.map((level) => [
      level,
      { entropy_budget: result.budgets[level] },
    ]),
  );
}

async function append(
  deps: PolicyWriteDeps,
  type: EventType,
  tenantId: string | null,
  payload: JsonObject,
): Promise<void> {
  await deps.store.events.append(
    buildEvent({ type, tenantId, payload }, deps.ids, deps.clock.nowIso()),
  );
}
