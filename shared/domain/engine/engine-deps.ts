import type { Checks } from '../../ports/checks.js';
import type { Clock } from '../../ports/clock.js';
import type { MetricsSink } from '../../ports/metrics.js';
import type { CoChangePair, Scm } from '../../ports/scm.js';
import type { Store } from '../../ports/store.js';
import type { IdSource } from '../event.js';
import type { Intent } from '../intent.js';
import type { PolicyConfig } from '../policy/index.js';

/** Where the risk model's co-change coupling comes from. */
export type CouplingSource = () => Promise<CoChangePair[]>;

/** Everything validation and the queue need; all I/O goes through ports. */
export interface EngineDeps {
  store: Store;
  scm: Scm;
  checks: Checks;
  clock: Clock;
  ids: IdSource;
  policy: PolicyConfig;
  /** Co-change pairs for risk coupling; none when absent. */
  coupling?: CouplingSource;
  /**
   * The scm and checks of an intent's own repository (the deployed service
   * talks to GitHub per repository); absent: `scm` and `checks` serve all.
   */
  repoPorts?: (intent: Intent) => Promise<Pick<EngineDeps, 'scm' | 'checks'>>;
  /** Business metrics (decisions, merges, queue depth); none when absent. */
  metrics?: MetricsSink;
}

/** The deps with `scm` and `checks` bound to the intent's repository. */
export async function bindRepo<D extends EngineDeps>(
  deps: D,
  intent: Intent,
): Promise<D> {
  if (!deps.repoPorts) return deps;
  return { ...deps, ...(await deps.repoPorts(intent)) };
}
