import { DomainError } from '../errors.js';

/**
 * PageRank power iteration did not reach its tolerance within the iteration
 * budget. The original lets networkx's `PowerIterationFailedConvergence`
 * escape `evaluate_risk`, so the evaluation fails instead of scoring with an
 * unconverged vector; this is the same outcome as a typed domain error. With
 * non-negative edge weights and alpha 0.85 it cannot happen (the error
 * shrinks by 0.85 per step and 100 steps always suffice).
 */
export class PageRankConvergenceError extends DomainError {
  readonly code = 'pagerank_not_converged';

  constructor(readonly iterations: number) {
    super(`PageRank did not converge in ${iterations} iterations`);
  }
}
