import type { IndexedGraph } from './digraph.js';
import { PageRankConvergenceError } from './risk.errors.js';

/**
 * Weighted PageRank with the semantics of `networkx.pagerank(G,
 * weight='weight')` (networkx 3.x, which runs on a SciPy sparse matrix):
 * - each node's out-weights are normalised by their sum;
 * - dangling nodes (zero out-weight) spread their mass uniformly;
 * - the start vector and the teleport vector are uniform `1/N`;
 * - the loop stops when the L1 change is below `N * tolerance` and throws
 *   after `maxIterations` steps.
 *
 * The floating-point order of operations follows SciPy/NumPy so results are
 * bit-identical: row sums are `first + pairwise(rest)` (`np.add.reduceat`),
 * `x @ A` accumulates each target over sources in node order (`csc_matvec`),
 * and the L1 error is NumPy's pairwise sum.
 * https://networkx.org/documentation/stable/reference/algorithms/generated/networkx.algorithms.link_analysis.pagerank_alg.pagerank.html
 */

/** Tuning knobs; the defaults are networkx's. */
export interface PageRankOptions {
  readonly alpha?: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
}

const PAIRWISE_BLOCK = 128;

/**
 * NumPy's `pairwise_sum` over `values[start, start + count)`: plain loop
 * below 8 items, 8 interleaved accumulators up to 128, halving above.
 */
export function pairwiseSum(
  values: ArrayLike<number>,
  start = 0,
  count = values.length - start,
): number {
  if (count < 8) {
    let sum = -0;
    for (let i = start; i < start + count; i++) sum += values[i] ?? 0;
    return sum;
  }
  if (count <= PAIRWISE_BLOCK) return blockSum(values, start, count);
  let half = Math.floor(count / 2);
  half -= half % 8;
  return (
    pairwiseSum(values, start, half) +
    pairwiseSum(values, start + half, count - half)
  );
}

/** 8 <= count <= 128: eight interleaved accumulators, then the tail. */
function blockSum(values: ArrayLike<number>, start: number, count: number) {
  const acc = new Float64Array(8);
  for (let lane = 0; lane < 8; lane++) acc[lane] = values[start + lane] ?? 0;
  const blockEnd = start + count - (count % 8);
  let i = start + 8;
  for (; i < blockEnd; i += 8) {
    for (let lane = 0; lane < 8; lane++) {
      acc[lane] = (acc[lane] ?? 0) + (values[i + lane] ?? 0);
    }
  }
  const [a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0] = acc;
  let sum = a0 + a1 + (a2 + a3) + (a4 + a5 + (a6 + a7));
  for (; i < start + count; i++) sum += values[i] ?? 0;
  return sum;
}

interface TransitionMatrix {
  /** CSR row pointers: row `j` is `[rowStart[j], rowStart[j + 1])`. */
  readonly rowStart: Int32Array;
  readonly target: Int32Array;
  readonly value: Float64Array;
  readonly dangling: readonly number[];
}

/**
 * The weight matrix in CSR form with each row ordered by target index, as in
 * SciPy's canonical CSR. Walking targets in index order and appending to
 * their sources' rows sorts every row without a sort.
 */
function weightRows(graph: IndexedGraph): Omit<TransitionMatrix, 'dangling'> {
  const n = graph.ids.length;
  const rowStart = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    rowStart[j + 1] = (rowStart[j] ?? 0) + (graph.succ[j]?.length ?? 0);
  }
  const cursor = rowStart.slice(0, n);
  const target = new Int32Array(graph.edgeCount);
  const value = new Float64Array(graph.edgeCount);
  for (let i = 0; i < n; i++) {
    const sources = graph.pred[i] ?? [];
    const weights = graph.predWeight[i] ?? [];
    for (let k = 0; k < sources.length; k++) {
      const j = sources[k] ?? 0;
      const slot = cursor[j] ?? 0;
      target[slot] = i;
      value[slot] = weights[k] ?? 0;
      cursor[j] = slot + 1;
    }
  }
  return { rowStart, target, value };
}

/**
 * Row-normalised weights (`Q @ A` with `Q = diag(1 / row sums)`); rows that
 * sum to 0 are the dangling nodes.
 */
function buildTransitionMatrix(graph: IndexedGraph): TransitionMatrix {
  const { rowStart, target, value } = weightRows(graph);
  const dangling: number[] = [];
  for (let j = 0; j < graph.ids.length; j++) {
    const start = rowStart[j] ?? 0;
    const end = rowStart[j + 1] ?? 0;
    // `A.sum(axis=1)` on CSR is `np.add.reduceat`: first + pairwise(rest).
    const rest = end - start - 1;
    const sum =
      rest < 0 ? 0 : (value[start] ?? 0) + pairwiseSum(value, start + 1, rest);
    if (sum === 0) dangling.push(j);
    const inverse = sum === 0 ? 0 : 1 / sum;
    for (let slot = start; slot < end; slot++) {
      value[slot] = inverse * (value[slot] ?? 0);
    }
  }
  return { rowStart, target, value, dangling };
}

interface PowerBuffers {
  readonly product: Float64Array;
  readonly diff: Float64Array;
}

/** One step `x' = alpha (x A + dangling mass / N) + (1 - alpha) / N` into `next`. */
function powerStep(
  matrix: TransitionMatrix,
  x: Float64Array,
  next: Float64Array,
  buffers: PowerBuffers,
  alpha: number,
): void {
  const n = x.length;
  const uniform = 1 / n;
  let danglingMass = 0;
  for (const j of matrix.dangling) danglingMass += x[j] ?? 0;
  const { product } = buffers;
  product.fill(0);
  const { rowStart, target, value } = matrix;
  for (let j = 0; j < n; j++) {
    const xj = x[j] ?? 0;
    const end = rowStart[j + 1] ?? 0;
    for (let slot = rowStart[j] ?? 0; slot < end; slot++) {
      const i = target[slot] ?? 0;
      product[i] = (product[i] ?? 0) + (value[slot] ?? 0) * xj;
    }
  }
  const teleport = (1 - alpha) * uniform;
  const spread = danglingMass * uniform;
  for (let i = 0; i < n; i++) {
    next[i] = alpha * ((product[i] ?? 0) + spread) + teleport;
  }
}

/** `np.absolute(x - xlast).sum()`: pairwise, starting from the identity 0. */
function l1Distance(a: Float64Array, b: Float64Array, diff: Float64Array) {
  for (let i = 0; i < a.length; i++) {
    diff[i] = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  }
  return 0 + pairwiseSum(diff);
}

/**
 * PageRank of every node, indexed like `graph.ids`. An empty graph gives an
 * empty vector.
 *
 * @throws PageRankConvergenceError when the tolerance is not reached within
 * `maxIterations` (as networkx raises `PowerIterationFailedConvergence`).
 */
export function weightedPageRank(
  graph: IndexedGraph,
  options: PageRankOptions = {},
): Float64Array {
  const { alpha = 0.85, maxIterations = 100, tolerance = 1e-6 } = options;
  const n = graph.ids.length;
  if (n === 0) return new Float64Array(0);
  const matrix = buildTransitionMatrix(graph);
  const buffers = {
    product: new Float64Array(n),
    diff: new Float64Array(n),
  };
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    powerStep(matrix, x, next, buffers, alpha);
    if (l1Distance(next, x, buffers.diff) < n * tolerance) return next;
    [x, next] = [next, x];
  }
  throw new PageRankConvergenceError(maxIterations);
}
