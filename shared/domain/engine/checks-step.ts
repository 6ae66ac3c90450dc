import type { CheckResult } from '../../ports/checks.js';
import { buildEvent } from '../event.js';
import type { Intent } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';

/** Runs the required checks on the source tip; one check.completed each. */
export async function runChecks(
  deps: EngineDeps,
  intent: Intent,
  trace: { traceId: string; simulation: { sourceSha: string } },
  names: readonly string[],
): Promise<CheckResult[]> {
  if (names.length === 0) return [];
  const results = await deps.checks.run([...names], {
    ref: intent.source,
    sha: trace.simulation.sourceSha,
  });
  for (const result of results) {
    const event = buildEvent(
      {
        type: 'check.completed',
        traceId: trace.traceId,
        intentId: intent.id,
        tenantId: intent.tenantId,
        payload: {
          check_type: result.check,
          passed: result.status === 'passed',
          status: result.status,
          details: result.details,
          duration_ms: result.durationMs,
        },
        evidence: { trace_id: trace.traceId, sha: trace.simulation.sourceSha },
      },
      deps.ids,
      deps.clock.nowIso(),
    );
    await deps.store.events.append(event);
  }
  return results;
}
