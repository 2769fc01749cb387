/**
 * The dependency graph of a Pipeline's tasks (Tekton's pkg/reconciler/pipeline/dag): nodes are pipeline tasks,
 * an edge `a → b` means "b runs after a" (from `runAfter` or from a `$(tasks.a.results...)` reference).
 *
 * Built once per reconcile and per validation, so it must stay linear: Tekton's old DFS cycle check took
 * minutes on a few hundred tasks (#3539, #5420). Cycles are found with Kahn's algorithm and then named, because
 * graphlib's own CycleException carries no message.
 */
import { Graph, alg } from '@dagrejs/graphlib';

/** A node to add: its name and the names it depends on (duplicates allowed, they are merged). */
export interface DagNode {
  name: string;
  deps: readonly string[];
}

/** A built, acyclic graph with cached adjacency so that scheduling queries stay O(V + E). */
export interface Dag {
  /** The graph as a graphlib Graph (edges point from a dependency to its dependent), built on first use. */
  readonly graph: Graph;
  /** Every node in a topological order (dependencies first; deterministic for a given declaration order). */
  readonly order: readonly string[];
  /** The tasks a node depends on (its parents). */
  prev(name: string): readonly string[];
  /** The tasks that depend on a node (its children). */
  next(name: string): readonly string[];
  /** Whether the node exists. */
  has(name: string): boolean;
}

/** Result of {@link buildDag}: a graph, or the first problem found, worded like Tekton's. */
export type DagResult = { ok: true; dag: Dag } | { ok: false; message: string };

/**
 * Builds the graph of `nodes` and checks it: duplicate names, dependencies on unknown tasks and cycles are
 * rejected with a message naming the tasks involved (a cycle is printed along its path).
 */
export function buildDag(nodes: readonly DagNode[]): DagResult {
  const prev = new Map<string, string[]>();
  for (const n of nodes) {
    if (prev.has(n.name)) return { ok: false, message: `duplicate pipeline task name "${n.name}"` };
    prev.set(n.name, []);
  }
  for (const n of nodes) {
    const seen = new Set<string>();
    for (const d of n.deps) {
      if (seen.has(d)) continue;
      seen.add(d);
      if (!prev.has(d)) return { ok: false, message: `task "${n.name}" depends on "${d}" but "${d}" wasn't present in Pipeline` };
      prev.get(n.name)?.push(d);
    }
  }
  const next = childrenOf(nodes, prev);
  const order = kahn(nodes, prev, next);
  if (order.length < nodes.length) return { ok: false, message: describeCycle(nodes, prev, new Set(order)) };
  return { ok: true, dag: makeDag(nodes, prev, next, order) };
}

function childrenOf(nodes: readonly DagNode[], prev: Map<string, string[]>): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const n of nodes) next.set(n.name, []);
  for (const n of nodes) for (const p of prev.get(n.name) ?? []) next.get(p)?.push(n.name);
  return next;
}

/** Kahn's algorithm: the topological order of every node not on (or behind) a cycle. */
function kahn(nodes: readonly DagNode[], prev: Map<string, string[]>, next: Map<string, string[]>): string[] {
  const indegree = new Map<string, number>();
  const queue: string[] = [];
  for (const n of nodes) {
    const d = prev.get(n.name)?.length ?? 0;
    indegree.set(n.name, d);
    if (d === 0) queue.push(n.name);
  }
  for (let i = 0; i < queue.length; i++) {
    for (const child of next.get(queue[i] as string) ?? []) {
      const d = (indegree.get(child) ?? 0) - 1;
      indegree.set(child, d);
      if (d === 0) queue.push(child);
    }
  }
  return queue;
}

/**
 * Names one cycle among the nodes Kahn could not order: starts from the lexicographically first such node that
 * lies on a cycle (Tekton names the first remaining task too) and walks dependencies until a node repeats.
 */
function describeCycle(nodes: readonly DagNode[], prev: Map<string, string[]>, ordered: Set<string>): string {
  const remaining = nodes.map((n) => n.name).filter((n) => !ordered.has(n));
  const sub = new Graph();
  for (const n of remaining) sub.setNode(n);
  for (const n of remaining) for (const p of prev.get(n) ?? []) if (!ordered.has(p)) sub.setEdge(n, p);
  const onCycle = new Set(alg.findCycles(sub).flat());
  for (const n of remaining) if (sub.hasEdge(n, n)) onCycle.add(n);
  const start = [...onCycle].sort()[0] ?? remaining.sort()[0] ?? '';
  const path = [start];
  const index = new Map([[start, 0]]);
  for (;;) {
    const cur = path[path.length - 1] as string;
    const deps = (prev.get(cur) ?? []).filter((p) => onCycle.has(p));
    const step = deps.find((p) => index.has(p)) ?? deps.sort()[0];
    if (step === undefined) break;
    if (index.has(step)) {
      path.push(step);
      path.splice(0, index.get(step));
      break;
    }
    index.set(step, path.length);
    path.push(step);
  }
  const links = path.slice(0, -1).map((n, i) => `task "${n}" depends on "${path[i + 1]}"`);
  return `cycle detected; ${links.join(', ')}`;
}

function makeDag(nodes: readonly DagNode[], prev: Map<string, string[]>, next: Map<string, string[]>, order: string[]): Dag {
  let graph: Graph | undefined;
  const none: readonly string[] = [];
  return {
    get graph(): Graph {
      if (!graph) {
        graph = new Graph();
        for (const n of nodes) graph.setNode(n.name);
        for (const n of nodes) for (const p of prev.get(n.name) ?? []) graph.setEdge(p, n.name);
      }
      return graph;
    },
    order,
    prev: (name) => prev.get(name) ?? none,
    next: (name) => next.get(name) ?? none,
    has: (name) => prev.has(name),
  };
}

/**
 * Tekton's GetCandidateTasks: the tasks not yet in `done` whose parents are all in `done`, in topological
 * order. `done` holds finished tasks (succeeded, failed, skipped); the caller drops those already started.
 */
export function candidates(dag: Dag, done: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const name of dag.order) {
    if (done.has(name)) continue;
    if (dag.prev(name).every((p) => done.has(p))) out.push(name);
  }
  return out;
}
