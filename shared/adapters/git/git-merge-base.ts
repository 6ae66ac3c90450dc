/**
 * Merge bases computed in process, the way git's `paint_down_to_common`
 * does: a walk from both commits, newest committer date first, that paints
 * each commit with the side(s) reaching it and stops when only stale
 * commits are left. A merge train asks this once per intent, mostly over
 * commits it already holds, so no git process is started for it.
 */
import type { CommitInfo } from './git-objects.js';

/**
 * The parent commits of a commit, in order. Known parents may come back
 * synchronously: a long walk then costs no promise per step.
 *
 * @throws {MissingCommitError} a parent is not in the repository.
 */
export type ParentSource = (
  commit: CommitInfo,
) => readonly CommitInfo[] | Promise<readonly CommitInfo[]>;

const PARENT1 = 1;
const PARENT2 = 2;
const STALE = 4;
const RESULT = 8;

/** One commit of a walk with its paint; `queued` counts its queue entries. */
interface WalkNode {
  commit: CommitInfo;
  flags: number;
  queued: number;
}

interface QueueItem {
  node: WalkNode;
  date: number;
  order: number;
}

function before(x: QueueItem, y: QueueItem): boolean {
  return x.date !== y.date ? x.date > y.date : x.order < y.order;
}

/**
 * Git's prio_queue by committer date, ties in insertion order, that also
 * counts its entries whose commit is not stale (git scans for them).
 */
class DateQueue {
  readonly #heap: QueueItem[] = [];
  #counter = 0;
  nonStale = 0;

  put(node: WalkNode): void {
    const heap = this.#heap;
    const item = { node, date: node.commit.date, order: this.#counter++ };
    let at = heap.length;
    heap.push(item);
    while (at > 0) {
      const up = (at - 1) >> 1;
      const parent = heap[up];
      if (!parent || !before(item, parent)) break;
      heap[at] = parent;
      at = up;
    }
    heap[at] = item;
    node.queued += 1;
    if (!(node.flags & STALE)) this.nonStale += 1;
  }

  take(): WalkNode | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) this.#sink(last);
    top.node.queued -= 1;
    if (!(top.node.flags & STALE)) this.nonStale -= 1;
    return top.node;
  }

  /** Puts `item` at the root and moves it down to its place. */
  #sink(item: QueueItem): void {
    const heap = this.#heap;
    let at = 0;
    for (;;) {
      let best = item;
      let bestAt = at;
      for (const child of [2 * at + 1, 2 * at + 2]) {
        const candidate = heap[child];
        if (candidate && before(candidate, best)) {
          best = candidate;
          bestAt = child;
        }
      }
      if (bestAt === at) break;
      heap[at] = best;
      at = bestAt;
    }
    heap[at] = item;
  }

  /** Adds paint to a node, keeping the count of non-stale entries. */
  paint(node: WalkNode, flags: number): void {
    if (flags & STALE && !(node.flags & STALE)) this.nonStale -= node.queued;
    node.flags |= flags;
  }
}

/** A commit the walk needs is not in the repository (shallow, corrupt). */
export class MissingCommitError extends Error {
  constructor(readonly sha: string) {
    super(`commit ${sha} is missing`);
    this.name = 'MissingCommitError';
  }
}

/**
 * The merge bases of `one` and `two` before git's redundancy filter: the
 * true merge bases are always among them, so a single answer is the merge
 * base and several need `git merge-base --all` to be sure. Empty when the
 * histories are unrelated.
 *
 * @throws {MissingCommitError} a commit on the way cannot be read.
 * @example
 * ```ts
 * const bases = await mergeBaseCandidates(parentsOf, tip, source);
 * if (bases.length === 1) useBase(bases[0]);
 * ```
 */
export async function mergeBaseCandidates(
  parentsOf: ParentSource,
  one: CommitInfo,
  two: CommitInfo,
): Promise<string[]> {
  if (one.sha === two.sha) return [one.sha];
  const nodes = new Map<string, WalkNode>();
  const queue = new DateQueue();
  for (const [commit, flags] of [
    [one, PARENT1],
    [two, PARENT2],
  ] as const) {
    const node = { commit, flags, queued: 0 };
    nodes.set(commit.sha, node);
    queue.put(node);
  }
  const results: WalkNode[] = [];
  while (queue.nonStale > 0) {
    const node = queue.take();
    if (!node) break;
    let paint = node.flags & (PARENT1 | PARENT2 | STALE);
    if (paint === (PARENT1 | PARENT2)) {
      if (!(node.flags & RESULT)) {
        node.flags |= RESULT;
        results.push(node);
      }
      paint |= STALE;
    }
    const got = parentsOf(node.commit);
    const parents = got instanceof Promise ? await got : got;
    paintParents(parents, paint, { nodes, queue });
  }
  return results.filter((n) => !(n.flags & STALE)).map((n) => n.commit.sha);
}

/** Adds `paint` to each parent that lacks some of it, and queues it. */
function paintParents(
  parents: readonly CommitInfo[],
  paint: number,
  walk: { nodes: Map<string, WalkNode>; queue: DateQueue },
): void {
  for (const parent of parents) {
    let next = walk.nodes.get(parent.sha);
    if (next && (next.flags & paint) === paint) continue;
    if (!next) {
      next = { commit: parent, flags: 0, queued: 0 };
      walk.nodes.set(parent.sha, next);
    }
    walk.queue.paint(next, paint);
    walk.queue.put(next);
  }
}
