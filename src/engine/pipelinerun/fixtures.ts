/**
 * Test support for the PipelineRun planner: YAML fixtures and a tiny simulated world that applies plans
 * (creates TaskRuns, cancels them) and lets a test finish TaskRuns with chosen outcomes and results. Kept out of
 * the *.test.ts files so every table test reads as YAML plus a few steps.
 */
import { parse } from 'yaml';
import type { ParamValue, PipelineRun, PipelineSpec, TaskRun, TaskSpec } from '../../api/types.js';
import { isDeepStrictEqual } from 'node:util';
import { newPlanMemo } from './memo.js';
import { planPipelineRun } from './plan.js';
import { TASKRUN_CANCELLED } from './reasons.js';
import type { PipelineRunPlan, TaskEntry } from './types.js';

/** Parses a PipelineRun written in YAML; fills name `pr`, namespace `ns` and uid `pr-uid` when absent. */
export function pipelineRunFrom(yaml: string): PipelineRun {
  const pr = parse(yaml) as PipelineRun;
  pr.apiVersion ??= 'tekton.dev/v1';
  pr.kind ??= 'PipelineRun';
  pr.metadata = { name: 'pr', namespace: 'ns', uid: 'pr-uid', ...(pr.metadata ?? {}) };
  pr.spec ??= {};
  return pr;
}

/** Parses Tasks (by name) written in YAML as a map `name: spec`. */
export function tasksFrom(yaml: string): Record<string, TaskSpec> {
  return parse(yaml) as Record<string, TaskSpec>;
}

/** How a TaskRun ends in a test. */
export type Ending = 'Succeeded' | 'Failed' | 'Cancelled' | 'FailureIgnored' | 'TaskRunTimeout';

/** A simulated cluster holding one PipelineRun, its Tasks and its TaskRuns, with a settable clock. */
export class World {
  pr: PipelineRun;
  taskRuns: TaskRun[] = [];
  now: Date;
  lastPlan?: PipelineRunPlan;
  readonly tasks: Record<string, TaskSpec>;
  readonly pipelineSpec?: PipelineSpec;
  readonly config = { defaultTimeoutMinutes: 60, maxMatrixCombinations: 256, managedByLabel: 'tekton-pipelines' };

  constructor(prYaml: string, opts: { tasks?: Record<string, TaskSpec>; pipeline?: PipelineSpec; now?: string } = {}) {
    this.pr = pipelineRunFrom(prYaml);
    this.tasks = opts.tasks ?? {};
    this.pipelineSpec = opts.pipeline;
    this.now = new Date(opts.now ?? '2025-01-01T00:00:00Z');
  }

  /** The spec the controller would resolve. */
  spec(): PipelineSpec {
    return this.pipelineSpec ?? this.pr.spec.pipelineSpec ?? {};
  }

  /** The task entries the controller would resolve (inline specs, Tasks by name, CouldntGetTask otherwise). */
  entries(): Map<string, TaskEntry> {
    const out = new Map<string, TaskEntry>();
    for (const pt of [...(this.spec().tasks ?? []), ...(this.spec().finally ?? [])]) {
      if (pt.taskSpec) out.set(pt.name, { spec: { steps: [], ...pt.taskSpec } as TaskSpec });
      else if (pt.taskRef?.name && this.tasks[pt.taskRef.name]) out.set(pt.name, { spec: this.tasks[pt.taskRef.name] as TaskSpec, taskName: pt.taskRef.name, kind: 'Task' });
      else out.set(pt.name, { reason: 'CouldntGetTask', error: `tasks.tekton.dev "${pt.taskRef?.name ?? ''}" not found` });
    }
    return out;
  }

  /** The memo a controller keeps for this run between reconciles. */
  readonly memo = newPlanMemo();
  private stableEntries?: Map<string, TaskEntry>;

  /**
   * Plans one reconcile without applying it: with the memo kept between reconciles, checked against a plan made
   * from scratch (the memo must never change an answer).
   */
  peek(): PipelineRunPlan {
    this.stableEntries ??= this.entries();
    const facts = {
      pipelineRun: this.pr, pipelineName: this.pipelineSpec ? 'pipeline' : undefined, pipelineSpec: this.spec(),
      tasks: this.stableEntries, taskRuns: this.taskRuns, now: this.now, config: this.config,
    };
    const fresh = planPipelineRun(structuredClone(facts));
    const plan = planPipelineRun({ ...facts, memo: this.memo });
    if (!isDeepStrictEqual(fresh, plan)) throw new Error(`a plan with the memo differs from one without:\n${JSON.stringify(plan)}\n${JSON.stringify(fresh)}`);
    return plan;
  }

  /** Plans one reconcile and applies it: status written, TaskRuns created, cancelled ones finished at once. */
  reconcile(): PipelineRunPlan {
    const plan = this.peek();
    this.lastPlan = plan;
    this.pr = { ...this.pr, status: plan.status };
    for (const a of plan.actions) {
      if (a.type === 'createTaskRun' && !this.taskRuns.some((t) => t.metadata.name === a.taskRun.metadata.name)) {
        this.taskRuns.push(structuredClone(a.taskRun));
      } else if (a.type === 'cancelTaskRun') {
        const tr = this.run(a.name);
        tr.spec.status = 'TaskRunCancelled';
        tr.spec.statusMessage = a.message;
        end(tr, 'Cancelled');
      }
    }
    return plan;
  }

  /** The TaskRun with this name. */
  run(name: string): TaskRun {
    const tr = this.taskRuns.find((t) => t.metadata.name === name);
    if (!tr) throw new Error(`no TaskRun ${name}; have ${this.taskRuns.map((t) => t.metadata.name).join(', ')}`);
    return tr;
  }

  /** TaskRuns of a pipeline task, in creation order. */
  runsOf(pt: string): TaskRun[] {
    return this.taskRuns.filter((t) => t.metadata.labels?.['tekton.dev/pipelineTask'] === pt);
  }

  /** Ends every TaskRun of a pipeline task (or one TaskRun by name) with an outcome and results. */
  finish(ptOrName: string, ending: Ending = 'Succeeded', results: Record<string, ParamValue> = {}): void {
    const runs = this.runsOf(ptOrName);
    const list = runs.length > 0 ? runs : [this.run(ptOrName)];
    for (const tr of list) end(tr, ending, results);
  }

  /** Moves the clock. */
  tick(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  /** Names of TaskRuns the last plan created. */
  created(): string[] {
    return (this.lastPlan?.actions ?? []).flatMap((a) => (a.type === 'createTaskRun' ? [a.taskRun.metadata.name ?? ''] : []));
  }

  /** The Succeeded condition as [status, reason, message]. */
  condition(): [string, string, string] {
    const c = this.pr.status?.conditions?.find((x) => x.type === 'Succeeded');
    return [c?.status ?? '', c?.reason ?? '', c?.message ?? ''];
  }
}

const REASON: Record<Ending, [string, string]> = {
  Succeeded: ['True', 'Succeeded'],
  Failed: ['False', 'Failed'],
  Cancelled: ['False', TASKRUN_CANCELLED],
  FailureIgnored: ['False', 'FailureIgnored'],
  TaskRunTimeout: ['False', 'TaskRunTimeout'],
};

function end(tr: TaskRun, ending: Ending, results: Record<string, ParamValue> = {}): void {
  const [status, reason] = REASON[ending];
  tr.status = {
    ...(tr.status ?? {}),
    conditions: [{ type: 'Succeeded', status: status as 'True' | 'False', reason, message: '' }],
    results: Object.entries(results).map(([name, value]) => ({ name, value })),
  };
}
