import type { IndexedGraph } from './digraph.js';

/**
 * Tarjan's strongly connected components, iterative (no recursion limit on
 * deep graphs), restricted to a node subset.
 */

/** Restricts a traversal to a subgraph. */
export type Membership = (node: number) => boolean;

/**
 * Per-graph buffers reused across calls: `index` must be all -1 on entry and
 * is restored to -1 for the visited nodes on exit.
 */
export interface TarjanScratch {
  readonly index: Int32Array;
  readonly low: Int32Array;
  readonly onStack: Uint8Array;
}

interface TarjanFrame {
  readonly node: number;
  next: number;
}

interface TarjanState extends TarjanScratch {
  readonly graph: IndexedGraph;
  readonly isMember: Membership;
  readonly stack: number[];
  readonly frames: TarjanFrame[];
  readonly components: number[][];
  counter: number;
}

/** Fresh buffers for a graph of `size` nodes. */
export function createTarjanScratch(size: number): TarjanScratch {
  return {
    index: new Int32Array(size).fill(-1),
    low: new Int32Array(size),
    onStack: new Uint8Array(size),
  };
}

function open(state: TarjanState, node: number): void {
  state.index[node] = state.counter;
  state.low[node] = state.counter;
  state.counter += 1;
  state.stack.push(node);
  state.onStack[node] = 1;
  state.frames.push({ node, next: 0 });
}

function lower(state: TarjanState, node: number, value: number): void {
  state.low[node] = Math.min(state.low[node] ?? value, value);
}

/** Follows the frame's next edge; false once its edges are exhausted. */
function advance(state: TarjanState, frame: TarjanFrame): boolean {
  const targets = state.graph.succ[frame.node] ?? [];
  if (frame.next >= targets.length) return false;
  const child = targets[frame.next] ?? -1;
  frame.next += 1;
  if (!state.isMember(child)) return true;
  if (state.index[child] === -1) open(state, child);
  else if (state.onStack[child] === 1) {
    lower(state, frame.node, state.index[child] ?? 0);
  }
  return true;
}

function finish(state: TarjanState, frame: TarjanFrame): void {
  state.frames.pop();
  const parent = state.frames.at(-1);
  if (parent !== undefined) {
    lower(state, parent.node, state.low[frame.node] ?? 0);
  }
  if (state.low[frame.node] !== state.index[frame.node]) return;
  const component: number[] = [];
  for (let member = -1; member !== frame.node; ) {
    member = state.stack.pop() ?? frame.node;
    state.onStack[member] = 0;
    component.push(member);
  }
  state.components.push(component);
}

/** Strongly connected components of the subgraph induced by `nodes`. */
export function strongComponents(
  graph: IndexedGraph,
  nodes: readonly number[],
  isMember: Membership,
  scratch: TarjanScratch,
): number[][] {
  const state: TarjanState = {
    ...scratch,
    graph,
    isMember,
    stack: [],
    frames: [],
    components: [],
    counter: 0,
  };
  for (const root of nodes) {
    if (state.index[root] !== -1) continue;
    open(state, root);
    for (
      let frame = state.frames.at(-1);
      frame !== undefined;
      frame = state.frames.at(-1)
    ) {
      if (!advance(state, frame)) finish(state, frame);
    }
  }
  for (const node of nodes) state.index[node] = -1;
  return state.components;
}
