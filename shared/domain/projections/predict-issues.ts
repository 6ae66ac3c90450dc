import type { ConvergeEvent } from '../event.js';
import { roundHalfEven } from '../risk/rounding.js';
import {
  hoursAgo,
  type ReadDeps,
  readEvents,
  tenantScope,
} from './event-reader.js';
import { isMergeable, mean } from './payload-fields.js';
import { riskScores } from './risk-payload.js';

/** Figures of one 24 h window. */
export interface WindowStats {
  simulations: number;
  conflict_rate: number;
  evaluations: number;
  avg_entropy: number;
  avg_propagation: number;
  avg_containment: number;
  /** Evaluations with propagation above 40. */
  high_propagation: number;
  requeues: number;
  rejected: number;
  merged: number;
}

/** One predicted issue. */
export interface IssueSignal {
  signal: string;
  severity: 'critical' | 'high' | 'medium';
  message: string;
}

/** `predict_issues`: the last 24 h against the 24 h before. */
export interface IssuePrediction {
  window_hours: 24;
  current: WindowStats;
  previous: WindowStats;
  signals: IssueSignal[];
}

interface IssueRule {
  signal: string;
  severity: IssueSignal['severity'];
  fires: (now: WindowStats, prev: WindowStats) => boolean;
  message: (now: WindowStats, prev: WindowStats) => string;
}

const r1 = (v: number) => roundHalfEven(v, 1);

/** The seven signals of reference §7, in its order. */
const RULES: readonly IssueRule[] = [
  {
    signal: 'rising_conflict_rate',
    severity: 'high',
    fires: (n, p) =>
      n.simulations > 3 && n.conflict_rate > p.conflict_rate + 0.1,
    message: (n, p) =>
      `Conflict rate rose from ${p.conflict_rate} to ${n.conflict_rate}`,
  },
  {
    signal: 'entropy_spike',
    severity: 'medium',
    fires: (n, p) =>
      n.evaluations > 3 &&
      n.avg_entropy > 1.2 * p.avg_entropy &&
      n.avg_entropy > 15,
    message: (n, p) =>
      `Average entropy jumped from ${r1(p.avg_entropy)} to ${r1(n.avg_entropy)}`,
  },
  {
    signal: 'queue_stalling',
    severity: 'high',
    fires: (n) => n.requeues > 5,
    message: (n) => `${n.requeues} requeues in the last 24h`,
  },
  {
    signal: 'high_rejection_rate',
    severity: 'critical',
    fires: (n) => {
      const decisions = n.rejected + n.merged;
      return decisions > 3 && n.rejected / decisions > 0.4;
    },
    message: (n) =>
      `${n.rejected} of ${n.rejected + n.merged} decisions rejected`,
  },
  {
    signal: 'bomb.cascade',
    severity: 'high',
    fires: (n) => n.high_propagation >= 3,
    message: (n) =>
      `${n.high_propagation} changes with propagation above 40: cascading impact`,
  },
  {
    signal: 'bomb.spiral',
    severity: 'medium',
    fires: (n, p) =>
      n.evaluations >= 3 &&
      p.evaluations >= 3 &&
      p.avg_containment - n.avg_containment > 0.1 &&
      n.avg_containment < 0.6,
    message: (n, p) =>
      `Containment fell from ${p.avg_containment} to ${n.avg_containment}`,
  },
  {
    signal: 'bomb.thermal_death',
    severity: 'critical',
    fires: (n) =>
      n.avg_entropy > 20 && n.conflict_rate > 0.2 && n.avg_propagation > 30,
    message: () =>
      'High entropy, conflicts and propagation at once: the system is overheating',
  },
];

/** The signals of two windows, pure. */
export function issueSignals(
  current: WindowStats,
  previous: WindowStats,
): IssueSignal[] {
  return RULES.filter((rule) => rule.fires(current, previous)).map((rule) => ({
    signal: rule.signal,
    severity: rule.severity,
    message: rule.message(current, previous),
  }));
}

/** The figures of one window from its events. */
export function windowStats(events: readonly ConvergeEvent[]): WindowStats {
  const of = (type: ConvergeEvent['type']) =>
    events.filter((e) => e.type === type);
  const sims = of('simulation.completed');
  const scores = of('risk.evaluated').map((e) => riskScores(e.payload));
  const conflicts = sims.filter((e) => !isMergeable(e.payload)).length;
  return {
    simulations: sims.length,
    conflict_rate: roundHalfEven(
      sims.length > 0 ? conflicts / sims.length : 0,
      3,
    ),
    evaluations: scores.length,
    avg_entropy: mean(scores.map((s) => s.entropyScore)),
    avg_propagation: mean(scores.map((s) => s.propagationScore)),
    avg_containment: roundHalfEven(
      scores.length > 0 ? mean(scores.map((s) => s.containmentScore)) : 1,
      3,
    ),
    high_propagation: scores.filter((s) => s.propagationScore > 40).length,
    requeues: of('intent.requeued').length,
    rejected: of('intent.rejected').length,
    merged: of('intent.merged').length,
  };
}

const WINDOW_TYPES: readonly ConvergeEvent['type'][] = [
  'simulation.completed',
  'risk.evaluated',
  'intent.requeued',
  'intent.rejected',
  'intent.merged',
];

/**
 * Predicts issues from the last 48 h of events (reference §7
 * `predict_issues`, with the trend-level bombs). Appends nothing.
 */
export async function predictIssues(
  deps: ReadDeps,
  tenantId: string | null,
): Promise<IssuePrediction> {
  const since = hoursAgo(deps.clock, 48);
  const cut = Date.parse(hoursAgo(deps.clock, 24));
  const lists = await Promise.all(
    WINDOW_TYPES.map((type) =>
      readEvents(deps.store, { type, since, ...tenantScope(tenantId) }),
    ),
  );
  const events = lists.flat();
  const recent = (e: ConvergeEvent) => Date.parse(e.timestamp) >= cut;
  const current = windowStats(events.filter(recent));
  const previous = windowStats(events.filter((e) => !recent(e)));
  return {
    window_hours: 24,
    current: rounded(current),
    previous: rounded(previous),
    signals: issueSignals(current, previous),
  };
}

function rounded(stats: WindowStats): WindowStats {
  return {
    ...stats,
    avg_entropy: r1(stats.avg_entropy),
    avg_propagation: r1(stats.avg_propagation),
  };
}
