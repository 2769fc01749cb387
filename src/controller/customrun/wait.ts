/**
 * The `Wait` custom-task controller (Tekton's wait-task example, shipped with tektite as a real custom task):
 * gather (the CustomRun from the informer cache) → decide (engine/customrun/wait) → write the status once and
 * come back when the wait or the timeout ends. CustomRuns of other kinds are left alone, so they stay pending
 * until their own controller runs, as in Tekton.
 */
import type { CustomRun } from '../../api/types.js';
import { decideWait, isWaitRun } from '../../engine/customrun/wait.js';
import type { KubeClient } from '../../kube/client.js';
import type { ReconcileResult } from '../runtime/controller.js';
import type { Informer } from '../runtime/informer.js';
import { writeStatus } from '../runtime/status-writer.js';

export interface WaitReconcilerDeps {
  client: KubeClient;
  customRuns: Informer<CustomRun>;
  now?: () => Date;
}

/** Builds the reconcile function of the Wait controller. */
export function waitReconciler(deps: WaitReconcilerDeps): (key: string) => Promise<ReconcileResult | void> {
  const now = deps.now ?? (() => new Date());
  return async (key) => {
    const run = deps.customRuns.get(key);
    if (!run || !isWaitRun(run)) return;
    const plan = decideWait(run, now());
    await writeStatus(deps.client, run, plan.status);
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined;
  };
}
