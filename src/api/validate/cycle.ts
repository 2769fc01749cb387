/**
 * Cycle detection for task graphs, by Kahn's algorithm (Tekton moved to Kahn after DFS timed out its webhook on
 * a few hundred tasks, #5420). Linear in tasks + edges; names the cycle it finds, so the message can show it.
 */

/**
 * Finds a dependency cycle. `deps` maps each node to the nodes it depends on (edges to unknown nodes are
 * ignored). Returns the cycle as a path that starts and ends at the same node, beginning with its
 * lexicographically smallest member (`["a", "c", "b", "a"]`: a depends on c, c on b, b on a), or undefined.
 */
export function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const remaining = unresolvedNodes(deps);
  if (remaining.size === 0) return undefined;
  const start = [...remaining].sort()[0] as string;
  const order: string[] = [];
  const seenAt = new Map<string, number>();
  let node: string | undefined = start;
  while (node !== undefined && !seenAt.has(node)) {
    seenAt.set(node, order.length);
    order.push(node);
    node = [...(deps.get(node) ?? [])].sort().find((d) => remaining.has(d));
  }
  if (node === undefined) return undefined;
  return rotate(order.slice(seenAt.get(node)));
}

/** Nodes Kahn's algorithm cannot order: those on a cycle or depending on one. */
function unresolvedNodes(deps: ReadonlyMap<string, readonly string[]>): Set<string> {
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [node, list] of deps) {
    const known = new Set(list.filter((d) => deps.has(d)));
    pending.set(node, known.size);
    for (const d of known) {
      const arr = dependents.get(d) ?? [];
      arr.push(node);
      dependents.set(d, arr);
    }
  }
  const queue = [...pending].filter(([, n]) => n === 0).map(([k]) => k);
  for (let i = 0; i < queue.length; i++) {
    for (const dep of dependents.get(queue[i] as string) ?? []) {
      const n = (pending.get(dep) ?? 0) - 1;
      pending.set(dep, n);
      if (n === 0) queue.push(dep);
    }
  }
  const done = new Set(queue);
  return new Set([...deps.keys()].filter((k) => !done.has(k)));
}

/** Rotates a cycle (without its closing repeat) to start at its smallest member, and closes it. */
function rotate(cycle: string[]): string[] {
  const min = [...cycle].sort()[0] as string;
  const i = cycle.indexOf(min);
  const r = [...cycle.slice(i), ...cycle.slice(0, i)];
  return [...r, min];
}

/** Tekton-style message for a cycle path from {@link findCycle}. */
export function cycleMessage(cycle: readonly string[]): string {
  const [first, second] = cycle;
  const steps = cycle.slice(1).map((n) => `"${n}"`).join(' -> ');
  return `cycle detected; task "${first}" depends on "${second}" (path: "${first}" -> ${steps}); remove one of these runAfter entries or result references`;
}
