import type { MergeTrain, Scm } from '../../ports/scm.js';
import { ConflictError, TransientError } from '../errors.js';
import type { Intent } from '../intent.js';
import type { EngineDeps } from './engine-deps.js';
import { decide, type QueueDecision } from './queue-decision.js';
import {
  mergeFailed,
  mergeMessage,
  recordMerged,
  withProvenance,
} from './queue-merge.js';
import { type MergeStep, processIsolated } from './queue-step.js';
import type { LeaseKeeper, QueueRunOptions } from './queue-types.js';
import type { ValidationOutcome } from './validate-intent.js';

/**
 * Merges staged before the target moves once: two git processes per train
 * (objects, then the ref). Also bounds what a refused compare-and-swap
 * sends back through one-by-one merging.
 */
export const MAX_TRAIN_LENGTH = 100;

/** A merge committed on the train's tip, waiting for `publish`. */
interface Staged {
  intent: Intent;
  outcome: ValidationOutcome;
  mergedSha: string;
  /** Its place in the run's decisions. */
  slot: number;
}

/**
 * The Scm the queue's steps see while a train runs: the target's tip is the
 * train's tip (the previous staged merge), so each intent is revalidated on
 * exactly the commit its merge will have as first parent (invariant 2).
 */
function trainScm(scm: Scm, train: MergeTrain): Scm {
  return {
    simulateMerge: (source, target) =>
      target === train.target
        ? train.simulate(source)
        : scm.simulateMerge(source, target),
    changedFiles: (source, target) => scm.changedFiles(source, target),
    headSha: (ref) =>
      ref === train.target ? Promise.resolve(train.tipSha) : train.headSha(ref),
    treeOf: (sha) => scm.treeOf(sha),
    merge: (input) => scm.merge(input),
    coChangeHistory: (max) => scm.coChangeHistory(max),
    commitLog: (max) => scm.commitLog(max),
  };
}

async function openTrain(
  deps: EngineDeps,
  target: string,
): Promise<MergeTrain | null> {
  if (!deps.scm.openTrain) return null;
  try {
    return await deps.scm.openTrain(target);
  } catch {
    // No train (e.g. the target does not exist yet): one by one, as before.
    return null;
  }
}

/**
 * Drains a branch's queue through merge trains: every intent goes through
 * the same steps as alone (dependency gate, retries, revalidation, agent
 * gate, QUEUED), but its merge is staged on the train's tip; the target
 * moves once per train (one compare-and-swap), and only then is each
 * staged intent marked MERGED, with its provenance, in queue order.
 *
 * When the swap is refused (someone pushed to the target) nothing was
 * merged: each staged intent goes once more through the one-by-one path,
 * which revalidates it against the real tip. An intent that depends on a
 * staged one waits for the train to land first. Returns null when the
 * Scm has no trains, the run does not merge, nothing waits, or intents may
 * live in other repositories (`repoPorts`).
 */
export async function runTrain(
  deps: EngineDeps,
  waiting: readonly Intent[],
  options: QueueRunOptions,
  keepLease: LeaseKeeper,
): Promise<QueueDecision[] | null> {
  if (!options.autoConfirm || deps.repoPorts || waiting.length === 0) {
    return null;
  }
  const train = await openTrain(deps, options.target);
  if (!train) return null;
  const run = new TrainRun(deps, options, train);
  try {
    return await run.drain(waiting, keepLease);
  } finally {
    await run.close();
  }
}

class TrainRun {
  readonly #deps: EngineDeps;
  readonly #options: QueueRunOptions;
  #train: MergeTrain | null;
  readonly #staged: Staged[] = [];
  readonly #decisions: QueueDecision[] = [];

  constructor(deps: EngineDeps, options: QueueRunOptions, train: MergeTrain) {
    this.#deps = deps;
    this.#options = options;
    this.#train = train;
  }

  async drain(
    waiting: readonly Intent[],
    keepLease: LeaseKeeper,
  ): Promise<QueueDecision[]> {
    for (const [index, intent] of waiting.entries()) {
      if (!(await keepLease())) break;
      if (index % MAX_TRAIN_LENGTH === 0) {
        const next = waiting.slice(index, index + MAX_TRAIN_LENGTH);
        this.#train?.prefetch?.(next.map((i) => i.source));
      }
      if (this.#dependsOnStaged(intent)) await this.#flush();
      const slot = this.#decisions.length;
      this.#decisions.push(await this.#process(intent, slot));
      if (this.#staged.length >= MAX_TRAIN_LENGTH) await this.#flush();
    }
    await this.#flush();
    return this.#decisions;
  }

  #dependsOnStaged(intent: Intent): boolean {
    if (intent.dependencies.length === 0) return false;
    const staged = new Set(this.#staged.map((s) => s.intent.id));
    return intent.dependencies.some((id) => staged.has(id));
  }

  async close(): Promise<void> {
    const train = this.#train;
    this.#train = null;
    await train?.close();
  }

  #process(intent: Intent, slot: number): Promise<QueueDecision> {
    const train = this.#train;
    if (!train) return processIsolated(this.#deps, intent, this.#options);
    const deps = { ...this.#deps, scm: trainScm(this.#deps.scm, train) };
    return processIsolated(
      deps,
      intent,
      this.#options,
      this.#stage(train, slot),
    );
  }

  /** Stages the merge instead of merging; a failure is a failed merge. */
  #stage(train: MergeTrain, slot: number): MergeStep {
    return async (deps, queued, outcome) => {
      const sim = outcome.simulation;
      const { traceId } = outcome;
      try {
        if (!sim.treeSha) throw new ConflictError('No tested tree to merge');
        const { mergedSha } = await train.stage({
          source: sim.sourceSha,
          target: queued.target,
          expectedTargetSha: sim.targetSha,
          treeSha: sim.treeSha,
          message: mergeMessage(queued, traceId),
        });
        this.#staged.push({ intent: queued, outcome, mergedSha, slot });
        return decide(queued, 'queued', 'Staged in a merge train', traceId);
      } catch (error) {
        return mergeFailed(deps, queued, traceId, error);
      }
    };
  }

  /** Publishes the staged merges, then records each; or falls back. */
  async #flush(): Promise<void> {
    const train = this.#train;
    const staged = this.#staged.splice(0);
    if (!train || staged.length === 0) return;
    try {
      await train.publish();
    } catch {
      await this.#fallBack(staged);
      return;
    }
    // Every MERGED first (the window in which a crash leaves a landed
    // merge QUEUED stays short), then the provenance records.
    let transient: TransientError | null = null;
    for (const entry of staged) {
      const recorded = await this.#recordMerged(entry);
      if (recorded instanceof TransientError) transient ??= recorded;
    }
    for (const entry of staged) {
      const decision = this.#decisions[entry.slot];
      if (decision?.decision !== 'merged') continue;
      this.#decisions[entry.slot] = await withProvenance(this.#deps, decision);
    }
    if (transient) throw transient;
  }

  /**
   * Marks one published merge MERGED. The commit is on the target already:
   * a store error is recorded as this intent's decision and the others go
   * on; a transient one is returned, to end the run once all are tried.
   */
  async #recordMerged(entry: Staged): Promise<TransientError | null> {
    try {
      this.#decisions[entry.slot] = await recordMerged(
        this.#deps,
        entry.intent,
        entry.outcome,
        entry.mergedSha,
      );
      return null;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#decisions[entry.slot] = decide(
        entry.intent,
        'error',
        `Merged ${entry.mergedSha}; not recorded: ${reason}`,
        entry.outcome.traceId,
      );
      return error instanceof TransientError ? error : null;
    }
  }

  /**
   * The swap was refused: nothing of the train is on the target. Each
   * staged intent (still QUEUED) goes through the one-by-one path against
   * the real tip, in order; then a new train starts from there.
   */
  async #fallBack(staged: readonly Staged[]): Promise<void> {
    await this.close();
    for (const entry of staged) {
      const intent = await this.#deps.store.intents.get(entry.intent.id);
      this.#decisions[entry.slot] = intent
        ? await processIsolated(this.#deps, intent, this.#options)
        : decide(entry.intent, 'error', 'Intent vanished', '');
    }
    this.#train = await openTrain(this.#deps, this.#options.target);
  }
}
