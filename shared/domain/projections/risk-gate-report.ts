import type { ConvergeEvent } from '../event.js';
import { type ReadDeps, readEvents, tenantScope } from './event-reader.js';
import { rate } from './health-score.js';
import { objectField, objectList, stringField } from './payload-fields.js';

/** How many `policy.evaluated` events the report reads (reference §3). */
export const GATE_REPORT_WINDOW = 1000;

/** One blocked policy evaluation. */
export interface BlockedEvaluation {
  intent_id: string | null;
  trace_id: string;
  timestamp: string;
  profile_used: string | null;
  failed_gates: string[];
  reasons: string[];
}

/** Block rate of the policy gates, and what the tenant risk gate did. */
export interface RiskGateReport {
  tenant_id: string | null;
  total_evaluations: number;
  /** Verdict BLOCK. */
  total_blocked: number;
  block_rate: number;
  /** The newest 20 blocks. */
  recent_blocks: BlockedEvaluation[];
  risk_gate: { would_block: number; enforced: number };
}

function blocked(event: ConvergeEvent): BlockedEvaluation {
  const failed = objectList(event.payload, 'gates').filter(
    (g) => g.passed !== true,
  );
  return {
    intent_id: event.intentId,
    trace_id: event.traceId,
    timestamp: event.timestamp,
    profile_used: stringField(event.payload, 'profile_used'),
    failed_gates: failed.map((g) => stringField(g, 'gate') ?? 'unknown'),
    reasons: failed.map((g) => stringField(g, 'reason') ?? ''),
  };
}

/**
 * The gate report over the newest 1000 `policy.evaluated` events. Despite
 * the name (kept from the original) it reports the policy gates; the
 * tenant risk gate's would-block and enforced counts come alongside.
 */
export async function riskGateReport(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<RiskGateReport> {
  const events = await readEvents(
    deps.store,
    { type: 'policy.evaluated', ...tenantScope(tenantId) },
    GATE_REPORT_WINDOW,
  );
  const blocks = events.filter((e) => e.payload.verdict === 'BLOCK');
  const gate = (key: string) =>
    events.filter((e) => objectField(e.payload, 'risk_gate')[key] === true)
      .length;
  return {
    tenant_id: tenantId,
    total_evaluations: events.length,
    total_blocked: blocks.length,
    block_rate: rate(blocks.length, events.length, 0),
    recent_blocks: blocks.slice(0, 20).map(blocked),
    risk_gate: { would_block: gate('would_block'), enforced: gate('enforced') },
  };
}
