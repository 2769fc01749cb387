/**
 * The PipelineRun reconciler: gather (PipelineRun, PipelineSpec, TaskSpecs, child TaskRuns from the informer
 * cache) → decide (the pure engine's plan) → apply (create PVCs and TaskRuns with deterministic names, cancel
 * children), then write the status once.
 */
import { REF } from '../../api/registry.js';
import type { PipelineRun, TaskRun } from '../../api/types.js';
import { setSucceeded } from '../../engine/conditions.js';
import { planPipelineRun } from '../../engine/pipelinerun/index.js';
import { pipelineNameLabel, pipelineRunMetadata, provenance } from '../../engine/run-metadata.js';
import type { KubeClient } from '../../kube/client.js';
import { isAlreadyExists } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import type { ControllerConfig } from '../config.js';
import { isManagedByUs } from '../config.js';
import { provenanceFeatureFlags } from '../provenance.js';
import { recordRunEvents, syncMetadata } from '../run-meta.js';
import type { ReconcileResult } from '../runtime/controller.js';
import type { Informer } from '../runtime/informer.js';
import { writeStatus } from '../runtime/status-writer.js';
import { fetchPipelineSpec, fetchTaskSpecs } from './resolve.js';

const TASKRUN = REF.TaskRun;

export interface PipelineRunReconcilerDeps {
  client: KubeClient;
  pipelineRuns: Informer<PipelineRun>;
  taskRuns: Informer<TaskRun>;
  config: ControllerConfig;
  /** Kubernetes Events about the runs (Tekton's Started/Running/Succeeded/Failed). */
  events?: EventRecorder;
  now?: () => Date;
}

type Plan = ReturnType<typeof planPipelineRun>;

/** Builds the reconcile function of the PipelineRun controller. */
export function pipelineRunReconciler(deps: PipelineRunReconcilerDeps): (key: string) => Promise<ReconcileResult | void> {
  const now = deps.now ?? (() => new Date());
  return async (key) => {
    const pr = deps.pipelineRuns.get(key);
    if (!pr || !isManagedByUs(pr.spec.managedBy) || isFinished(pr)) return;
    const ns = pr.metadata.namespace ?? 'default';
    const fetched = await fetchPipelineSpec(deps.client, pr);
    if (!fetched.ok) {
      const at = now();
      const status = setSucceeded({ ...pr.status, startTime: pr.status?.startTime ?? at.toISOString(), completionTime: at.toISOString() }, { status: 'False', reason: fetched.reason, message: fetched.message }, at);
      await writeStatus(deps.client, pr, status);
      recordRunEvents(deps.events, pr, status);
      const label = pipelineNameLabel(pr);
      if (label !== undefined) await syncMetadata(deps.client, pr, { labels: { ...pr.metadata.labels, 'tekton.dev/pipeline': label }, annotations: pr.metadata.annotations ?? {} });
      return;
    }
    // Tekton merges the Pipeline's labels and annotations into the run once, when it first stores the spec
    const meta = pr.status?.pipelineSpec ? undefined : pipelineRunMetadata(pr, fetched.meta);
    const run = meta ? { ...pr, metadata: { ...pr.metadata, ...meta } } : pr;
    const tasks = await fetchTaskSpecs(deps.client, ns, fetched.spec, pr.spec.params);
    const children = deps.taskRuns.byIndex('tekton.dev/pipelineRun', `${ns}/${pr.metadata.name ?? ''}`);
    const plan = planPipelineRun({
      pipelineRun: run, pipelineName: fetched.pipelineName, pipelineSpec: fetched.spec, tasks, taskRuns: children, now: now(),
      config: { defaultTimeoutMinutes: deps.config.defaultTimeoutMinutes, maxMatrixCombinations: deps.config.maxMatrixCombinations, managedByLabel: deps.config.managedByLabel },
    });
    if (deps.config.features.enableProvenanceInStatus) plan.status.provenance = provenance(pr.status?.provenance, provenanceFeatureFlags(deps.config), fetched.source);
    await applyActions(deps.client, ns, plan);
    await writeStatus(deps.client, pr, plan.status);
    recordRunEvents(deps.events, pr, plan.status);
    if (meta) await syncMetadata(deps.client, pr, meta);
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined;
  };
}

function isFinished(pr: PipelineRun): boolean {
  const c = pr.status?.conditions?.find((x) => x.type === 'Succeeded');
  return !!c && c.status !== 'Unknown' && !!pr.status?.completionTime;
}

async function applyActions(client: KubeClient, ns: string, plan: Plan): Promise<void> {
  const creates: Promise<unknown>[] = [];
  for (const action of plan.actions) {
    if (action.type === 'createPVC') {
      await ignoreExists(client.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...action.pvc, metadata: { ...action.pvc.metadata, namespace: ns } }));
    } else if (action.type === 'createTaskRun') {
      creates.push(ignoreExists(client.create(action.taskRun)));
    } else if (action.type === 'cancelTaskRun') {
      await client.patch(TASKRUN, ns, action.name, { spec: { status: 'TaskRunCancelled', statusMessage: action.message } });
    }
  }
  await Promise.all(creates);
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
