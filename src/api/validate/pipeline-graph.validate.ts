/**
 * The task graph of a PipelineSpec: runAfter names, result references (`$(tasks.t.results.r)`), execution
 * status references (finally only), cycles (Kahn, see cycle.ts), and pipeline results (task results only).
 */
import type { PipelineSpec, PipelineTask } from '../types.js';
import { cycleMessage, findCycle } from './cycle.js';
import { checkUnique, type FieldErrors, joinPath } from './field-errors.js';
import { asResultRef, type LocatedRef, refsIn } from './refs.js';

interface Located { t: PipelineTask; at: string; isFinally: boolean }

/** The references in a pipeline task that can name other tasks: params, matrix and when expressions. */
export function taskRefs(t: PipelineTask, at: string): LocatedRef[] {
  return [
    ...refsIn(t.params, joinPath(at, 'params')),
    ...refsIn(t.matrix, joinPath(at, 'matrix')),
    ...refsIn(t.when, joinPath(at, 'when')),
  ];
}

/** Validates runAfter, result/status references and cycles of `spec` at `base`. */
export function validateGraph(errs: FieldErrors, spec: PipelineSpec, base: string): void {
  const dag = new Map((spec.tasks ?? []).map((t) => [t.name, t]));
  const fin = new Set((spec.finally ?? []).map((t) => t.name));
  const all: Located[] = [
    ...(spec.tasks ?? []).map((t, i) => ({ t, at: joinPath(base, 'tasks', i), isFinally: false })),
    ...(spec.finally ?? []).map((t, i) => ({ t, at: joinPath(base, 'finally', i), isFinally: true })),
  ];
  const deps = new Map<string, string[]>();
  for (const loc of all) {
    const d = checkTaskLinks(errs, loc, dag, fin);
    if (!loc.isFinally) deps.set(loc.t.name, d);
  }
  const cycle = findCycle(deps);
  if (cycle) errs.add(joinPath(base, 'tasks'), cycleMessage(cycle));
}

/** Checks one task's runAfter and references; returns the DAG tasks it depends on. */
function checkTaskLinks(errs: FieldErrors, loc: Located, dag: ReadonlyMap<string, PipelineTask>, fin: ReadonlySet<string>): string[] {
  const deps: string[] = [];
  if (!loc.isFinally) {
    (loc.t.runAfter ?? []).forEach((name, i) => {
      const at = joinPath(loc.at, 'runAfter', i);
      if (dag.has(name)) deps.push(name);
      else if (fin.has(name)) errs.add(at, `runAfter names finally task "${name}"; tasks cannot wait for finally tasks`);
      else errs.add(at, `runAfter names task "${name}", which is not defined in spec.tasks${suggest(name, dag)}`);
    });
  }
  for (const ref of taskRefs(loc.t, loc.at)) {
    const target = checkRef(errs, ref, loc, dag, fin);
    if (target !== undefined) deps.push(target);
  }
  return deps;
}

function suggest(name: string, dag: ReadonlyMap<string, unknown>): string {
  const known = [...dag.keys()];
  return known.length > 0 ? ` (tasks: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})` : '';
}

/** Checks a reference in a task; returns the DAG task it creates a dependency on, if any. */
function checkRef(errs: FieldErrors, ref: LocatedRef, loc: Located, dag: ReadonlyMap<string, PipelineTask>, fin: ReadonlySet<string>): string | undefined {
  const [scope, task, kind] = ref.segments;
  if (scope !== 'tasks' || task === undefined) return undefined;
  if (task === 'status' && ref.segments.length === 2) {
    if (!loc.isFinally) errs.add(ref.path, `"$(${ref.expr})" (aggregate execution status) can only be used in finally tasks`);
    return undefined;
  }
  if ((kind === 'status' || kind === 'reason') && ref.segments.length === 3) {
    if (!loc.isFinally) errs.add(ref.path, `pipeline tasks can not refer to execution status of another task ("$(${ref.expr})"); only finally tasks can — move this task to finally`);
    else if (!dag.has(task)) errs.add(ref.path, `"$(${ref.expr})" names task "${task}", which is not defined in spec.tasks`);
    return undefined;
  }
  const rr = asResultRef(ref);
  if (!rr && kind !== 'matrix') return undefined;
  if (fin.has(task)) {
    errs.add(ref.path, `"$(${ref.expr})" refers to finally task "${task}"; ${loc.isFinally ? 'finally tasks cannot use results of other finally tasks' : 'tasks cannot use results of finally tasks'}`);
    return undefined;
  }
  const target = dag.get(task);
  if (!target) {
    errs.add(ref.path, `"$(${ref.expr})" refers to task "${task}", which is not defined in spec.tasks${suggest(task, dag)}`);
    return undefined;
  }
  if (rr) checkDeclaredResult(errs, ref, target, rr.result);
  return loc.isFinally ? undefined : task;
}

function checkDeclaredResult(errs: FieldErrors, ref: LocatedRef, target: PipelineTask, result: string): void {
  const ts = target.taskSpec;
  if (!ts || ts.apiVersion !== undefined || ts.kind !== undefined || !ts.results) return;
  if (!ts.results.some((r) => r.name === result)) {
    errs.add(ref.path, `"$(${ref.expr})": task "${target.name}" does not declare a result "${result}" (declared: ${ts.results.map((r) => r.name).join(', ') || 'none'})`);
  }
}

/** Pipeline results: unique names, values made only of task (or finally) result references to existing tasks. */
export function validatePipelineResults(errs: FieldErrors, spec: PipelineSpec, base: string): void {
  const at = joinPath(base, 'results');
  checkUnique(errs, spec.results, at, 'name', (r) => r.name, 'result name');
  const dag = new Set((spec.tasks ?? []).map((t) => t.name));
  const fin = new Set((spec.finally ?? []).map((t) => t.name));
  (spec.results ?? []).forEach((r, i) => {
    const refs = refsIn(r.value, joinPath(at, i, 'value'));
    if (refs.length === 0) errs.add(joinPath(at, i, 'value'), 'expected pipeline results to be task result expressions, e.g. "$(tasks.build.results.digest)", but none were found');
    for (const ref of refs) {
      const rr = asResultRef(ref);
      if (!rr) errs.add(ref.path, `"$(${ref.expr})" is not a task result reference; pipeline results can only use $(tasks.<task>.results.<result>) or $(finally.<task>.results.<result>)`);
      else if (!(rr.scope === 'tasks' ? dag : fin).has(rr.task)) errs.add(ref.path, `"$(${ref.expr})" refers to a nonexistent ${rr.scope === 'tasks' ? 'task' : 'finally task'} "${rr.task}"`);
    }
  });
}
