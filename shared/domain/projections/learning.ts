/**
 * Lessons: short, actionable advice derived from health figures (reference
 * §7 "Learning"). Each names the metric that triggered it and its target.
 */

/** How urgent a lesson is. */
export type LessonPriority = 'high' | 'medium' | 'low';

/** One lesson. */
export interface Lesson {
  code: string;
  title: string;
  why: string;
  action: string;
  priority: LessonPriority;
  metric: { observed: number; target: number };
}

/** The repository figures health lessons read. */
export interface RepoFigures {
  mergeableRate: number;
  avgEntropy: number;
  rejected24h: number;
  healthScore: number;
}

/** The figures of one change that change lessons read. */
export interface ChangeFigures {
  mergeable: boolean;
  riskScore: number;
  entropyScore: number;
}

interface Rule<F> {
  fires: (f: F) => boolean;
  observed: (f: F) => number;
  target: number;
  lesson: Omit<Lesson, 'metric'>;
}

const HEALTH_RULES: readonly Rule<RepoFigures>[] = [
  {
    fires: (f) => f.mergeableRate < 0.85,
    observed: (f) => f.mergeableRate,
    target: 0.85,
    lesson: {
      code: 'learn.low_mergeability',
      title: 'Too many changes do not merge cleanly',
      why: 'Conflicting changes burn retries and stall the queue',
      action: 'Rebase often and keep branches short-lived',
      priority: 'high',
    },
  },
  {
    fires: (f) => f.avgEntropy > 15,
    observed: (f) => f.avgEntropy,
    target: 15,
    lesson: {
      code: 'learn.high_entropy',
      title: 'Changes are large and scattered',
      why: 'High entropy changes are harder to review and to revert',
      action: 'Split changes by directory or concern',
      priority: 'medium',
    },
  },
  {
    fires: (f) => f.rejected24h > 3,
    observed: (f) => f.rejected24h,
    target: 3,
    lesson: {
      code: 'learn.frequent_rejections',
      title: 'Many intents were rejected in the last 24h',
      why: 'Rejections waste CI time and delay delivery',
      action: 'Validate before queueing and fix blocked intents first',
      priority: 'high',
    },
  },
  {
    fires: (f) => f.healthScore < 70,
    observed: (f) => f.healthScore,
    target: 70,
    lesson: {
      code: 'learn.low_health',
      title: 'Repository health is below green',
      why: 'Conflicts, entropy and rejections are adding up',
      action: 'Pause large changes until health recovers',
      priority: 'medium',
    },
  },
];

const CHANGE_RULES: readonly Rule<ChangeFigures>[] = [
  {
    fires: (f) => !f.mergeable,
    observed: (f) => (f.mergeable ? 0 : 1),
    target: 0,
    lesson: {
      code: 'learn.resolve_conflict',
      title: 'The change conflicts with the target',
      why: 'A conflicting change cannot merge',
      action: 'Rebase on the target and resolve the conflicts',
      priority: 'high',
    },
  },
  {
    fires: (f) => f.riskScore > 40,
    observed: (f) => f.riskScore,
    target: 40,
    lesson: {
      code: 'learn.reduce_risk',
      title: 'The change carries high risk',
      why: 'Risky changes are more likely to break the target',
      action: 'Split the change or add reviewers for the critical files',
      priority: 'medium',
    },
  },
  {
    fires: (f) => f.entropyScore > 20,
    observed: (f) => f.entropyScore,
    target: 20,
    lesson: {
      code: 'learn.reduce_entropy',
      title: 'The change touches too much at once',
      why: 'Entropy above 20 exceeds most entropy budgets',
      action: 'Reduce the files, directories or dependencies touched',
      priority: 'medium',
    },
  },
];

function apply<F>(rules: readonly Rule<F>[], figures: F): Lesson[] {
  return rules
    .filter((rule) => rule.fires(figures))
    .map((rule) => ({
      ...rule.lesson,
      metric: { observed: rule.observed(figures), target: rule.target },
    }));
}

/** Lessons of the repository health (mergeability, entropy, rejections). */
export function healthLessons(figures: RepoFigures): Lesson[] {
  return apply(HEALTH_RULES, figures);
}

/** Lessons of one change (conflict, risk > 40, entropy > 20). */
export function changeLessons(figures: ChangeFigures): Lesson[] {
  return apply(CHANGE_RULES, figures);
}

/** Lessons of a risk review: critical diagnostics and risk above 50. */
export function reviewLessons(input: {
  criticalDiagnostics: number;
  riskScore: number;
}): Lesson[] {
  const lessons: Lesson[] = [];
  if (input.criticalDiagnostics > 0) {
    lessons.push({
      code: 'learn.critical_diagnostics',
      title: 'Critical diagnostics need attention',
      why: 'A critical diagnostic predicts a broken or unsafe merge',
      action: 'Address every critical diagnostic before merging',
      priority: 'high',
      metric: { observed: input.criticalDiagnostics, target: 0 },
    });
  }
  if (input.riskScore > 50) {
    lessons.push({
      code: 'learn.high_risk',
      title: 'Risk above 50',
      why: 'The change is central, wide or conflict-prone',
      action: 'Split the change and merge the pieces in order',
      priority: 'medium',
      metric: { observed: input.riskScore, target: 50 },
    });
  }
  return lessons;
}
