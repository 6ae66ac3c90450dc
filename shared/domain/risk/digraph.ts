/**
 * A minimal directed graph with the semantics of networkx's `DiGraph` that
 * the risk model relies on:
 * - one node namespace for every kind (a scope named like a file *is* that
 *   file's node);
 * - re-adding a node with a kind overwrites the kind, re-adding an edge
 *   overwrites its data, and neither changes iteration order;
 * - nodes, successors and predecessors iterate in insertion order, which
 *   fixes PageRank summation order, tie order and topological order.
 *
 * Internally nodes are numbered in insertion order and edges live in flat
 * arrays, so building a graph of tens of thousands of edges stays cheap.
 */

/** Kinds the risk graph gives its nodes; the merge target gets none. */
export type NodeKind = 'file' | 'directory' | 'scope' | 'dependency' | 'intent';

/** Relation of a dependency-graph edge to its endpoints. */
export type EdgeRelation =
  | 'contained_in'
  | 'co_located'
  | 'scope_contains'
  | 'scope_touches'
  | 'depends_on'
  | 'merge_target'
  | 'co_change';

/** Attributes of one edge. */
export interface EdgeData {
  readonly rel: EdgeRelation;
  readonly weight: number;
}

/**
 * Dense, index-based snapshot of a {@link DiGraph} for the numeric
 * algorithms. Index `i` is the `i`-th inserted node; adjacency lists keep
 * edge insertion order.
 */
export interface IndexedGraph {
  readonly ids: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly kinds: readonly (NodeKind | undefined)[];
  readonly succ: readonly (readonly number[])[];
  readonly succWeight: readonly (readonly number[])[];
  readonly pred: readonly (readonly number[])[];
  readonly predWeight: readonly (readonly number[])[];
  readonly edgeCount: number;
}

/** Mutable directed graph; see the module comment for its semantics. */
export class DiGraph {
  readonly #ids: string[] = [];
  readonly #index = new Map<string, number>();
  readonly #kinds: (NodeKind | undefined)[] = [];
  /** Per node: ids of its outgoing / incoming edges, in insertion order. */
  readonly #outEdges: number[][] = [];
  readonly #inEdges: number[][] = [];
  /** Per node: target index -> edge id. */
  readonly #edgeIndex: Map<number, number>[] = [];
  readonly #edgeFrom: number[] = [];
  readonly #edgeTo: number[] = [];
  readonly #edgeRel: EdgeRelation[] = [];
  readonly #edgeWeight: number[] = [];

  /** Adds `id` if new; sets its kind when one is given. */
  addNode(id: string, kind?: NodeKind): void {
    const node = this.ensureNode(id);
    if (kind !== undefined) this.#kinds[node] = kind;
  }

  /** Adds `from -> to` (and missing endpoints, without a kind); overwrites its data. */
  addEdge(from: string, to: string, data: EdgeData): void {
    this.addEdgeAt(this.ensureNode(from), this.ensureNode(to), data);
  }

  /**
   * {@link addEdge} by node index (from {@link ensureNode}), for bulk edges.
   * An index that is not a node adds nothing.
   */
  addEdgeAt(u: number, v: number, data: EdgeData): void {
    const index = this.#edgeIndex[u];
    if (index === undefined || v < 0 || v >= this.#ids.length) return;
    const edge = index.get(v) ?? this.#newEdge(u, v);
    this.#edgeRel[edge] = data.rel;
    this.#edgeWeight[edge] = data.weight;
  }

  /**
   * Adds `from -> to` only if there is no such edge yet (networkx's
   * `if not G.has_edge(u, v): G.add_edge(u, v, ...)`); true if it added it.
   */
  addEdgeIfAbsent(from: string, to: string, data: EdgeData): boolean {
    return this.addEdgeIfAbsentAt(
      this.ensureNode(from),
      this.ensureNode(to),
      data,
    );
  }

  /**
   * {@link addEdgeIfAbsent} by node index, for bulk edges between nodes
   * already resolved with {@link ensureNode}. An index that is not a node
   * adds nothing and returns false.
   */
  addEdgeIfAbsentAt(u: number, v: number, data: EdgeData): boolean {
    const index = this.#edgeIndex[u];
    if (index === undefined || v < 0 || v >= this.#ids.length) return false;
    if (index.has(v)) return false;
    const edge = this.#newEdge(u, v);
    this.#edgeRel[edge] = data.rel;
    this.#edgeWeight[edge] = data.weight;
    return true;
  }

  /** Index of `id` (its insertion rank), adding it without a kind if new. */
  ensureNode(id: string): number {
    let node = this.#index.get(id);
    if (node === undefined) {
      node = this.#ids.length;
      this.#index.set(id, node);
      this.#ids.push(id);
      this.#kinds.push(undefined);
      this.#outEdges.push([]);
      this.#inEdges.push([]);
      this.#edgeIndex.push(new Map());
    }
    return node;
  }

  /** Whether `id` is a node (of any kind). */
  hasNode(id: string): boolean {
    return this.#index.has(id);
  }

  /** Whether the edge `from -> to` exists. */
  hasEdge(from: string, to: string): boolean {
    const u = this.#index.get(from);
    const v = this.#index.get(to);
    if (u === undefined || v === undefined) return false;
    return this.#edgeIndex[u]?.has(v) ?? false;
  }

  /** The node's kind, or `undefined` for a node without one (or no node). */
  kindOf(id: string): NodeKind | undefined {
    const node = this.#index.get(id);
    return node === undefined ? undefined : this.#kinds[node];
  }

  /** Number of nodes. */
  get nodeCount(): number {
    return this.#ids.length;
  }

  /** Number of edges, self-loops included. */
  get edgeCount(): number {
    return this.#edgeFrom.length;
  }

  /** Node ids in insertion order. */
  nodes(): IterableIterator<string> {
    return this.#ids.values();
  }

  /** Successors of `id` with edge data, in edge insertion order (a copy). */
  successors(id: string): ReadonlyMap<string, EdgeData> {
    return this.#neighbours(this.#outEdges, this.#edgeTo, id);
  }

  /** Predecessors of `id` with edge data, in edge insertion order (a copy). */
  predecessors(id: string): ReadonlyMap<string, EdgeData> {
    return this.#neighbours(this.#inEdges, this.#edgeFrom, id);
  }

  /** Index-based snapshot for the numeric algorithms (later changes do not show). */
  toIndexed(): IndexedGraph {
    const pick = (lists: number[][], ends: readonly number[]) => ({
      nodes: lists.map((edges) => edges.map((e) => ends[e] ?? -1)),
      weights: lists.map((edges) => edges.map((e) => this.#edgeWeight[e] ?? 0)),
    });
    const succ = pick(this.#outEdges, this.#edgeTo);
    const pred = pick(this.#inEdges, this.#edgeFrom);
    return {
      ids: [...this.#ids],
      index: new Map(this.#index),
      kinds: [...this.#kinds],
      succ: succ.nodes,
      succWeight: succ.weights,
      pred: pred.nodes,
      predWeight: pred.weights,
      edgeCount: this.#edgeFrom.length,
    };
  }

  #newEdge(u: number, v: number): number {
    const edge = this.#edgeFrom.length;
    this.#edgeIndex[u]?.set(v, edge);
    this.#edgeFrom.push(u);
    this.#edgeTo.push(v);
    this.#outEdges[u]?.push(edge);
    this.#inEdges[v]?.push(edge);
    return edge;
  }

  #neighbours(
    lists: number[][],
    ends: readonly number[],
    id: string,
  ): ReadonlyMap<string, EdgeData> {
    const node = this.#index.get(id);
    const edges = node === undefined ? [] : (lists[node] ?? []);
    return new Map(
      edges.map((e) => [
        this.#ids[ends[e] ?? -1] ?? '',
        {
          rel: this.#edgeRel[e] ?? 'co_change',
          weight: this.#edgeWeight[e] ?? 0,
        },
      ]),
    );
  }
}
