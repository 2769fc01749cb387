/**
 * What the run pages' buttons do, as `tkt` and the Tekton Dashboard do it: cancel (spec.status Cancelled /
 * TaskRunCancelled), cancel but run finally tasks (CancelledRunFinally), stop starting tasks and run finally
 * (StoppedRunFinally), rerun (a new run with the same spec, labelled `dashboard.tekton.dev/rerunOf`), delete.
 */
import type { KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import { rerunOf } from '../../cli/commands/rerun.js';
import type { KindRef, KubeClient } from '../../kube/client.js';
import { stateOf } from '../model/summary.js';
import type { RunKind } from '../model/types.js';

export const ACTIONS = ['cancel', 'cancel-run-finally', 'stop', 'rerun', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

/** An action that cannot be done: `status` is the HTTP status to answer. */
export class ActionError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const SPEC_STATUS: Record<RunKind, Partial<Record<Action, string>>> = {
  PipelineRun: { cancel: 'Cancelled', 'cancel-run-finally': 'CancelledRunFinally', stop: 'StoppedRunFinally' },
  TaskRun: { cancel: 'TaskRunCancelled' },
};

/** Does `action` on a run; answers what was done (and the new run's name for a rerun). */
export async function runAction(client: KubeClient, kind: RunKind, namespace: string, name: string, action: string): Promise<{ message: string; name?: string }> {
  if (!(ACTIONS as readonly string[]).includes(action)) throw new ActionError(400, `unknown action "${action}": expected one of ${ACTIONS.join(', ')}`);
  const ref: KindRef = { apiVersion: 'tekton.dev/v1', kind };
  if (action === 'delete') {
    await client.delete(ref, namespace, name);
    return { message: `${kind} ${name} deleted` };
  }
  const run = await client.get<PipelineRun | TaskRun>(ref, namespace, name);
  if (action === 'rerun') {
    const created = await client.create<KubeObject>(rerunOf(run));
    return { message: `${kind} ${created.metadata.name ?? ''} started`, name: created.metadata.name ?? '' };
  }
  const status = SPEC_STATUS[kind][action as Action];
  if (!status) throw new ActionError(400, `a ${kind} cannot be asked to ${action}: only PipelineRuns run finally tasks`);
  const state = stateOf(run.status?.conditions);
  if (state !== 'running' && state !== 'pending') throw new ActionError(409, `${kind} ${name} has already finished (${state}): nothing to ${action}`);
  await client.patch(ref, namespace, name, { spec: { status } });
  return { message: `${kind} ${name}: spec.status set to ${status}` };
}
