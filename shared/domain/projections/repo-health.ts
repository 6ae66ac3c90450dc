import { allIntents } from '../engine/queue-admin.js';
import { ACTIONABLE_STATUSES } from '../intent-state.js';
import {
  hoursAgo,
  type ReadDeps,
  readEvents,
  tenantScope,
} from './event-reader.js';
import {
  type HealthStatus,
  healthScore,
  healthStatus,
  rate,
  round1,
} from './health-score.js';
import { healthLessons, type Lesson } from './learning.js';
import { isMergeable, mean, numberField } from './payload-fields.js';

/** The counts repository health is computed from. */
export interface RepoFiguresInput {
  simulations: number;
  mergeable: number;
  entropies: readonly number[];
  active: number;
  merged24h: number;
  rejected24h: number;
}

/** Repository health now (reference §7 `repo_health`). */
export interface RepoHealth {
  tenant_id: string | null;
  timestamp: string;
  health_score: number;
  status: HealthStatus;
  /** mergeable / simulations; 1 with no simulations. */
  mergeable_rate: number;
  /** 1 - mergeable_rate; 0 with no simulations. */
  conflict_rate: number;
  /** Mean `entropy_score` of `risk.evaluated`. */
  avg_entropy: number;
  simulations: number;
  risk_evaluations: number;
  /** Intents READY, VALIDATED or QUEUED. */
  active: number;
  merged_24h: number;
  rejected_24h: number;
  learning: Lesson[];
}

/**
 * The health formula, pure:
 * `max(0, 100 - 30 conflict_rate - 0.5 min(avg_entropy, 50)
 *   - 1.5 min(rejected_24h, 20))`, one decimal; green >= 70, yellow >= 40.
 * @example
 * computeRepoHealth({ simulations: 4, mergeable: 3, entropies: [10, 20],
 *   active: 0, merged24h: 0, rejected24h: 2 }, meta).health_score // 82
 */
export function computeRepoHealth(
  input: RepoFiguresInput,
  meta: { tenantId: string | null; timestamp: string },
): RepoHealth {
  const total = input.simulations;
  const conflictRaw = total > 0 ? (total - input.mergeable) / total : 0;
  const entropyRaw = mean(input.entropies);
  const score = healthScore(
    100 -
      30 * conflictRaw -
      0.5 * Math.min(entropyRaw, 50) -
      1.5 * Math.min(input.rejected24h, 20),
  );
  const mergeableRate = rate(input.mergeable, total, 1);
  const avgEntropy = round1(entropyRaw);
  return {
    tenant_id: meta.tenantId,
    timestamp: meta.timestamp,
    health_score: score,
    status: healthStatus(score),
    mergeable_rate: mergeableRate,
    conflict_rate: rate(total - input.mergeable, total, 0),
    avg_entropy: avgEntropy,
    simulations: total,
    risk_evaluations: input.entropies.length,
    active: input.active,
    merged_24h: input.merged24h,
    rejected_24h: input.rejected24h,
    learning: healthLessons({
      mergeableRate,
      avgEntropy,
      rejected24h: input.rejected24h,
      healthScore: score,
    }),
  };
}

/**
 * Repository health of one tenant (null: every tenant) from the event log
 * and the intents. A read: it appends nothing (DECISIONS 8); the scheduled
 * `takeHealthSnapshot` records `health.snapshot`.
 */
export async function repoHealth(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<RepoHealth> {
  const { store, clock } = deps;
  const scope = tenantScope(tenantId);
  const since = hoursAgo(clock, 24);
  const [sims, risks, merged, rejected, intents] = await Promise.all([
    readEvents(store, { type: 'simulation.completed', ...scope }),
    readEvents(store, { type: 'risk.evaluated', ...scope }),
    readEvents(store, { type: 'intent.merged', since, ...scope }),
    readEvents(store, { type: 'intent.rejected', since, ...scope }),
    allIntents(store, tenantId),
  ]);
  return computeRepoHealth(
    {
      simulations: sims.length,
      mergeable: sims.filter((e) => isMergeable(e.payload)).length,
      entropies: risks.map((e) => numberField(e.payload, 'entropy_score')),
      active: intents.filter((i) => ACTIONABLE_STATUSES.includes(i.status))
        .length,
      merged24h: merged.length,
      rejected24h: rejected.length,
    },
    { tenantId, timestamp: clock.nowIso() },
  );
}
