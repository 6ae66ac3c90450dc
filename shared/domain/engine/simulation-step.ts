import type { MergeSimulation } from '../../ports/scm.js';
import { NotFoundError } from '../errors.js';
import { buildEvent, type ConvergeEvent } from '../event.js';
import type { Intent } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';

/** A simulation and whether it was reused from an earlier validation. */
export interface SimulationOutcome {
  simulation: MergeSimulation;
  reused: boolean;
}

function fromPayload(payload: Record<string, unknown>): MergeSimulation | null {
  const sourceSha = payload.source_sha;
  const targetSha = payload.target_sha;
  if (typeof sourceSha !== 'string' || typeof targetSha !== 'string') {
    return null;
  }
  const list = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    mergeable: payload.mergeable === true,
    conflicts: list(payload.conflicts),
    filesChanged: list(payload.files_changed),
    sourceSha,
    targetSha,
    mergeBaseSha: str(payload.merge_base_sha),
    treeSha: str(payload.tree_sha),
  };
}

/**
 * The last simulation of this intent, if it was made against the same source
 * and target tips (DECISIONS 4: reuse only when the target did not move).
 */
async function reusableSimulation(
  deps: EngineDeps,
  intent: Intent,
): Promise<MergeSimulation | null> {
  const page = await deps.store.events.query(
    { intentId: intent.id, type: 'simulation.completed' },
    { limit: 1 },
  );
  const last = page.items[0];
  const previous = last ? fromPayload(last.payload) : null;
  if (!previous) return null;
  const [sourceSha, targetSha] = await Promise.all([
    deps.scm.headSha(intent.source),
    deps.scm.headSha(intent.target),
  ]);
  const same =
    previous.sourceSha === sourceSha && previous.targetSha === targetSha;
  return same ? previous : null;
}

/** The tip of a ref, or '' while the ref does not exist. */
export async function tipOrMissing(
  deps: EngineDeps,
  ref: string,
): Promise<string> {
  try {
    return await deps.scm.headSha(ref);
  } catch (error) {
    if (error instanceof NotFoundError) return '';
    throw error;
  }
}

/** Simulates the merge of the intent's source onto the target's tip. */
export async function simulate(
  deps: EngineDeps,
  intent: Intent,
  reuse: boolean,
): Promise<SimulationOutcome> {
  const previous = reuse ? await reusableSimulation(deps, intent) : null;
  if (previous) return { simulation: previous, reused: true };
  const simulation = await deps.scm.simulateMerge(intent.source, intent.target);
  return { simulation, reused: false };
}

/** The `simulation.completed` event of one validation. */
export function simulationEvent(
  deps: EngineDeps,
  intent: Intent,
  traceId: string,
  outcome: SimulationOutcome,
): ConvergeEvent {
  const s = outcome.simulation;
  const payload = {
    mergeable: s.mergeable,
    conflicts: s.conflicts,
    files_changed: s.filesChanged,
    source: intent.source,
    target: intent.target,
    source_sha: s.sourceSha,
    target_sha: s.targetSha,
    merge_base_sha: s.mergeBaseSha,
    tree_sha: s.treeSha,
    reused: outcome.reused,
  };
  return buildEvent(
    {
      type: 'simulation.completed',
      traceId,
      intentId: intent.id,
      tenantId: intent.tenantId,
      payload,
      evidence: { source_sha: s.sourceSha, target_sha: s.targetSha },
    },
    deps.ids,
    deps.clock.nowIso(),
  );
}
