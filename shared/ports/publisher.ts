/**
 * Publisher port (ARCHITECTURE "Ports and adapters": Publisher): shows a
 * Converge decision on the pull request's head commit. The deployed service
 * publishes GitHub check runs and commit statuses, always through the outbox
 * (DECISIONS 13), so a decision is durable before it is published.
 */

/** A decision as the outbox carries it, resolved against its intent. */
export interface DecisionToPublish {
  /** `owner/name`. */
  repo: string;
  /** The GitHub App installation; adapters may fall back to a default. */
  installationId?: number;
  /** The commit the check run and the status are attached to. */
  headSha: string;
  intentId: string;
  traceId: string;
  /**
   * What happened: `validated`, `blocked`, `rejected`, `merged`,
   * `merge_failed`, `queued`, ... (see {@link decisionAppearance}).
   */
  decision: string;
  /** One line for people; the first reason when there are several. */
  reason: string;
  /** Every reason, in order; may be empty. */
  reasons: string[];
  /** The risk score (0-100), or null when risk was not evaluated. */
  riskScore: number | null;
  /** The policy verdict (`ALLOW`, `BLOCK`, ...), or null. */
  verdict: string | null;
  /** The bomb types the risk model found; may be empty. */
  bombs: string[];
  prNumber?: number;
  /** The merge commit, for a `merged` decision. */
  mergedSha?: string;
  /** A link shown on the check run and the status. */
  detailsUrl?: string;
}

/** What a publication produced on the SCM side. */
export interface PublishResult {
  /** The check run created or updated; absent when none was made. */
  checkRunId?: number;
  /** The commit status context written, e.g. `converge/gate`. */
  statusContext: string;
}

/** GitHub check-run lifecycle states. */
export type CheckRunStatus = 'queued' | 'in_progress' | 'completed';

/** The conclusions Converge uses for a completed check run. */
export type CheckRunConclusion = 'success' | 'failure' | 'neutral';

/** GitHub commit status states. */
export type CommitStatusState = 'success' | 'failure' | 'pending' | 'error';

/** How one decision shows on the commit. */
export interface DecisionAppearance {
  checkRunStatus: CheckRunStatus;
  /** Set exactly when `checkRunStatus` is `completed`. */
  conclusion?: CheckRunConclusion;
  statusState: CommitStatusState;
}

const PASSED = new Set(['validated', 'merged']);
const FAILED = new Set(['blocked', 'rejected', 'agent_denied']);
const NOT_STARTED = new Set(['pending', 'created', 'ready']);

/**
 * Maps a decision to a check run and a commit status (reference §5 "GitHub
 * publishing", plus the queue's decisions):
 *
 * | decision | check run | status |
 * |---|---|---|
 * | validated, merged | completed / success | success |
 * | blocked, rejected, agent_denied | completed / failure | failure |
 * | merge_failed (retried or rejected by the queue) | completed / neutral | error |
 * | pending, created, ready | queued | pending |
 * | anything else (queued, requeued, waiting, ...) | in_progress | pending |
 *
 * @example
 * ```ts
 * decisionAppearance('blocked');
 * // { checkRunStatus: 'completed', conclusion: 'failure', statusState: 'failure' }
 * ```
 */
export function decisionAppearance(decision: string): DecisionAppearance {
  if (PASSED.has(decision)) {
    return {
      checkRunStatus: 'completed',
      conclusion: 'success',
      statusState: 'success',
    };
  }
  if (FAILED.has(decision)) {
    return {
      checkRunStatus: 'completed',
      conclusion: 'failure',
      statusState: 'failure',
    };
  }
  if (decision === 'merge_failed') {
    return {
      checkRunStatus: 'completed',
      conclusion: 'neutral',
      statusState: 'error',
    };
  }
  if (NOT_STARTED.has(decision)) {
    return { checkRunStatus: 'queued', statusState: 'pending' };
  }
  return { checkRunStatus: 'in_progress', statusState: 'pending' };
}

/**
 * Publishes decisions. Implementations upsert: publishing the same
 * `(intentId, traceId)` again (a retry after a lost response) updates what
 * the first call made instead of adding a second check run.
 *
 * @example
 * ```ts
 * const { checkRunId, statusContext } = await publisher.publishDecision({
 *   repo: 'acme/app', installationId: 42, headSha, intentId: 'acme/app:pr-7',
 *   traceId, decision: 'validated', reason: 'All gates passed', reasons: [],
 *   riskScore: 12.5, verdict: 'ALLOW', bombs: [],
 * });
 * ```
 */
export interface Publisher {
  /**
   * Shows the decision on `headSha` (check run and commit status).
   *
   * @throws {TransientError} the SCM is down, throttling or its circuit is
   *   open; publish again later.
   * @throws {NotFoundError} the repository or the commit does not exist.
   * @throws {ValidationError} the input cannot be published (no
   *   installation, malformed SHA).
   */
  publishDecision(input: DecisionToPublish): Promise<PublishResult>;
}
