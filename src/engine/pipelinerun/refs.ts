/**
 * References between pipeline tasks: `$(tasks.X.results.R...)` and `$(tasks.X.matrix...length)` create DAG
 * edges (Tekton's PipelineTask.Deps), and decide whether a task must wait for, or be skipped for lack of,
 * another task's results.
 */
import type { PipelineTask } from '../../api/types.js';
import type { DagNode } from '../dag.js';
import { findReferences } from '../substitution/replace.js';
import { walkStrings } from './params.js';

/** A reference to another task's output, as written (canonical key) and parsed. */
export interface TaskRef {
  /** Canonical key, e.g. `tasks.build.results.digest[0]`. */
  key: string;
  task: string;
  /** Result name; absent for `tasks.X.matrix.length`. */
  result?: string;
  /** `tasks.X.inputs.N` / `tasks.X.outputs.N` (artifacts, alpha): a dependency, never a missing result. */
  artifact?: boolean;
}

const RESULT = /^tasks\.([^.[\]]+)\.results\.([^.[\]]+)/;
const MATRIX = /^tasks\.([^.[\]]+)\.matrix\.(?:([^.[\]]+)\.)?length$/;
const ARTIFACT = /^tasks\.([^.[\]]+)\.(?:inputs|outputs)\.[^.[\]]+$/;

/** Parses a canonical key into a task reference, or undefined for other variables. */
export function parseTaskRef(key: string): TaskRef | undefined {
  const r = RESULT.exec(key);
  if (r) return { key, task: r[1] as string, result: r[2] as string };
  const m = MATRIX.exec(key);
  if (m) return m[2] ? { key, task: m[1] as string, result: m[2] } : { key, task: m[1] as string };
  const a = ARTIFACT.exec(key);
  if (a) return { key, task: a[1] as string, artifact: true };
  return undefined;
}

/**
 * Every task reference of a pipeline task: in params, matrix params and include params, when expressions,
 * and the embedded taskSpec (Tekton propagates results into inline specs).
 */
export function taskRefsOf(pt: PipelineTask): TaskRef[] {
  const out: TaskRef[] = [];
  const seen = new Set<string>();
  const visit = (s: string): void => {
    if (!s.includes('$(tasks.')) return;
    for (const key of findReferences(s)) {
      const ref = parseTaskRef(key);
      if (ref && !seen.has(key)) {
        seen.add(key);
        out.push(ref);
      }
    }
  };
  walkStrings([pt.params ?? [], pt.matrix ?? {}, pt.when ?? [], pt.taskSpec ?? {}], visit);
  return out;
}

/** Whether the task's params, matrix or when expressions use task results (Tekton's hasResultReferences). */
export function hasResultRefs(refs: readonly TaskRef[]): boolean {
  return refs.length > 0;
}

/** The DAG node of a pipeline task: `runAfter` plus every task it references. */
export function dagNodeOf(pt: PipelineTask, refs: readonly TaskRef[]): DagNode {
  return { name: pt.name, deps: [...(pt.runAfter ?? []), ...refs.map((r) => r.task)] };
}
