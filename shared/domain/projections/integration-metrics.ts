import type { EventType } from '../event.js';
import { type ReadDeps, readEvents, tenantScope } from './event-reader.js';
import { rate } from './health-score.js';
import { isMergeable } from './payload-fields.js';

/** All-time integration totals (reference §7 `integration_metrics`). */
export interface IntegrationMetrics {
  tenant_id: string | null;
  simulations: number;
  /** Over the newest 10k simulations; 1 with none. */
  mergeable_rate: number;
  validated: number;
  blocked: number;
  merged: number;
  rejected: number;
  risk_evaluations: number;
}

const COUNTED: readonly EventType[] = [
  'simulation.completed',
  'intent.validated',
  'intent.blocked',
  'intent.merged',
  'intent.rejected',
  'risk.evaluated',
];

/** Totals from `events.count`, the mergeable rate from the payloads. */
export async function integrationMetrics(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<IntegrationMetrics> {
  const scope = tenantScope(tenantId);
  const [counts, sims] = await Promise.all([
    Promise.all(
      COUNTED.map((type) => deps.store.events.count({ type, ...scope })),
    ),
    readEvents(deps.store, { type: 'simulation.completed', ...scope }),
  ]);
  const [simulations, validated, blocked, merged, rejected, risks] = counts;
  const mergeable = sims.filter((e) => isMergeable(e.payload)).length;
  return {
    tenant_id: tenantId,
    simulations: simulations ?? 0,
    mergeable_rate: rate(mergeable, sims.length, 1),
    validated: validated ?? 0,
    blocked: blocked ?? 0,
    merged: merged ?? 0,
    rejected: rejected ?? 0,
    risk_evaluations: risks ?? 0,
  };
}
