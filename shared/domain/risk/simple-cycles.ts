import type { IndexedGraph } from './digraph.js';
import {
  createTarjanScratch,
  type Membership,
  strongComponents,
} from './strong-components.js';

/**
 * Simple cycles of length >= 2 (self-loops are not cycles here), with an
 * enumeration cap. The strategy is networkx's `simple_cycles` (Johnson 1975):
 * take a strongly connected component, list the cycles through one of its
 * nodes with Johnson's blocked-set search, drop that node, split what is left
 * into components again. Johnson's search spends O(nodes + edges) per cycle
 * found, so stopping at the cap bounds the work even on dense graphs whose
 * cycle count is astronomical (a directory of k files is a complete digraph).
 *
 * Order: networkx picks the start node by iterating a Python `set`, whose
 * order depends on string hashing (randomised per process), so the
 * original's cycle *order* is not reproducible; the count up to the cap is.
 * Here the start node is the component's first-inserted node, which makes the
 * listing deterministic.
 */

interface SearchFrame {
  readonly node: number;
  next: number;
  closed: boolean;
}

/** Johnson's blocked set and B-lists, reused across searches. */
interface SearchBuffers {
  readonly blocked: Uint8Array;
  readonly blockedBy: number[][];
  /** Nodes whose buffers a search touched, to reset afterwards. */
  readonly touched: number[];
}

interface SearchState extends SearchBuffers {
  readonly graph: IndexedGraph;
  readonly start: number;
  readonly isMember: Membership;
  readonly out: number[][];
  readonly path: number[];
  readonly frames: SearchFrame[];
}

function block(state: SearchState, node: number): void {
  state.blocked[node] = 1;
  state.touched.push(node);
}

function unblock(state: SearchState, node: number): void {
  const pending = [node];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (state.blocked[item] === 0) continue;
    state.blocked[item] = 0;
    const waiting = state.blockedBy[item];
    if (waiting !== undefined && waiting.length > 0) {
      for (const blocker of waiting) pending.push(blocker);
      waiting.length = 0;
    }
  }
}

/** Follows the frame's next edge; false once its edges are exhausted. */
function advance(state: SearchState, frame: SearchFrame): boolean {
  const targets = state.graph.succ[frame.node] ?? [];
  if (frame.next >= targets.length) return false;
  const child = targets[frame.next] ?? -1;
  frame.next += 1;
  if (child === frame.node || !state.isMember(child)) return true;
  if (child === state.start) {
    state.out.push([...state.path]);
    frame.closed = true;
  } else if (state.blocked[child] === 0) {
    state.path.push(child);
    block(state, child);
    state.frames.push({ node: child, next: 0, closed: false });
  }
  return true;
}

/** Leaves a node: unblock it if it closed a cycle, else park it on its successors. */
function retreat(state: SearchState, frame: SearchFrame): void {
  state.frames.pop();
  state.path.pop();
  if (frame.closed) {
    const parent = state.frames.at(-1);
    if (parent !== undefined) parent.closed = true;
    unblock(state, frame.node);
    return;
  }
  for (const child of state.graph.succ[frame.node] ?? []) {
    if (child === frame.node || !state.isMember(child)) continue;
    let waiting = state.blockedBy[child];
    if (waiting === undefined) {
      waiting = [];
      state.blockedBy[child] = waiting;
    }
    waiting.push(frame.node);
    state.touched.push(child);
  }
}

/** Johnson's search for cycles through `start`, appending to `out` up to `cap`. */
function cyclesThrough(
  graph: IndexedGraph,
  start: number,
  isMember: Membership,
  buffers: SearchBuffers,
  out: number[][],
  cap: number,
): void {
  const state: SearchState = {
    ...buffers,
    graph,
    start,
    isMember,
    out,
    path: [start],
    frames: [{ node: start, next: 0, closed: false }],
  };
  block(state, start);
  for (
    let frame = state.frames.at(-1);
    frame !== undefined && out.length < cap;
    frame = state.frames.at(-1)
  ) {
    if (!advance(state, frame)) retreat(state, frame);
  }
  for (const node of buffers.touched) {
    buffers.blocked[node] = 0;
    const waiting = buffers.blockedBy[node];
    if (waiting !== undefined) waiting.length = 0;
  }
  buffers.touched.length = 0;
}

/**
 * Up to `cap` 2-cycles (`u -> v` and `v -> u`), in node order. Every
 * co-located or co-changed pair is one, so on real change graphs this finds
 * the cap in one linear pass and the general search is not needed.
 */
function mutualPairs(graph: IndexedGraph, cap: number): number[][] {
  const mark = new Int32Array(graph.ids.length).fill(-1);
  const pairs: number[][] = [];
  for (let u = 0; u < graph.ids.length && pairs.length < cap; u++) {
    for (const v of graph.succ[u] ?? []) mark[v] = u;
    for (const p of graph.pred[u] ?? []) {
      if (p > u && mark[p] === u) pairs.push([u, p]);
      if (pairs.length >= cap) break;
    }
  }
  return pairs;
}

/**
 * Up to `cap` simple cycles of length >= 2, each as node indices starting at
 * the node the search started from. When the graph has at least `cap`
 * 2-cycles those are the answer (the count is what matters, and the
 * original's choice among cycles is arbitrary anyway).
 */
export function findSimpleCycles(graph: IndexedGraph, cap: number): number[][] {
  const n = graph.ids.length;
  if (cap <= 0 || n === 0) return [];
  const pairs = mutualPairs(graph, cap);
  if (pairs.length >= cap) return pairs;
  const cycles: number[][] = [];
  const scratch = createTarjanScratch(n);
  const buffers: SearchBuffers = {
    blocked: new Uint8Array(n),
    blockedBy: [],
    touched: [],
  };
  const stamp = new Int32Array(n);
  let currentStamp = 0;
  const all = graph.ids.map((_, node) => node);
  const pending = strongComponents(graph, all, () => true, scratch).filter(
    (component) => component.length >= 2,
  );
  for (
    let component = pending.pop();
    component !== undefined && cycles.length < cap;
    component = pending.pop()
  ) {
    currentStamp += 1;
    for (const node of component) stamp[node] = currentStamp;
    const marker = currentStamp;
    const isMember: Membership = (node) => stamp[node] === marker;
    const start = component.reduce((a, b) => Math.min(a, b));
    cyclesThrough(graph, start, isMember, buffers, cycles, cap);
    if (cycles.length >= cap) break;
    stamp[start] = 0;
    const rest = component.filter((node) => node !== start);
    for (const part of strongComponents(graph, rest, isMember, scratch)) {
      if (part.length >= 2) pending.push(part);
    }
  }
  return cycles;
}
