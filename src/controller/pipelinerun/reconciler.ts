/**
 * The PipelineRun reconciler: gather (PipelineRun, PipelineSpec, TaskSpecs, child TaskRuns from the informer
 * cache) → decide (the pure engine's plan) → apply (create PVCs and TaskRuns with deterministic names, cancel
 * children), then write the status once.
 */
import { REF } from '../../api/registry.js';
import type { CustomRun, OwnerReference, PipelineRun, TaskRun } from '../../api/types.js';
import { setSucceeded } from '../../engine/conditions.js';
import { planPipelineRun } from '../../engine/pipelinerun/index.js';
import { pipelineNameLabel, pipelineRunMetadata, provenance } from '../../engine/run-metadata.js';
import type { KubeClient } from '../../kube/client.js';
import { isAlreadyExists, isNotFound } from '../../kube/errors.js';
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
const PIPELINERUN = REF.PipelineRun;
const CUSTOMRUN = REF.CustomRun;

export interface PipelineRunReconcilerDeps {
  client: KubeClient;
  pipelineRuns: Informer<PipelineRun>;
  taskRuns: Informer<TaskRun>;
  /** CustomRuns (children of custom tasks); optional for callers that run no custom tasks. */
  customRuns?: Informer<CustomRun>;
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
    const parent = `${ns}/${pr.metadata.name ?? ''}`;
    const plan = planPipelineRun({
      pipelineRun: run, pipelineName: fetched.pipelineName, pipelineSpec: fetched.spec, tasks, now: now(),
      taskRuns: deps.taskRuns.byIndex('tekton.dev/pipelineRun', parent),
      pipelineRuns: deps.pipelineRuns.byIndex('tekton.dev/pipelineRun', parent),
      customRuns: deps.customRuns?.byIndex('tekton.dev/pipelineRun', parent) ?? [],
      ancestorPipelines: ancestorPipelines(deps.pipelineRuns, pr),
      config: {
        defaultTimeoutMinutes: deps.config.defaultTimeoutMinutes, maxMatrixCombinations: deps.config.maxMatrixCombinations,
        managedByLabel: deps.config.managedByLabel, enableApiFields: deps.config.features.enableApiFields,
        enableArtifacts: deps.config.features.enableArtifacts,
      },
    });
    if (deps.config.features.enableProvenanceInStatus) plan.status.provenance = provenance(pr.status?.provenance, provenanceFeatureFlags(deps.config), fetched.source);
    const planned = now().getTime();
    // a wide run creates thousands of children in one reconcile: stop early when it is cancelled or a deadline passes
    const interrupted = (): boolean => deps.pipelineRuns.get(key)?.spec.status !== pr.spec.status
      || (plan.requeueAfterMs !== undefined && now().getTime() >= planned + plan.requeueAfterMs);
    if (!(await applyActions(deps.client, ns, plan, interrupted))) {
      // the status still goes out (startTime must not move); the next reconcile, at once, finds what was created
      await writeStatus(deps.client, pr, plan.status);
      return { requeueAfterMs: 0 };
    }
    await writeStatus(deps.client, pr, plan.status);
    recordRunEvents(deps.events, pr, plan.status);
    if (meta) await syncMetadata(deps.client, pr, meta);
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs } : undefined;
  };
}

/**
 * The pipeline names up this run's owner chain (itself first): label tekton.dev/pipeline, else its pipelineRef
 * name (what Tekton labels it with). Bounded, in case owner references loop.
 */
function ancestorPipelines(cache: Informer<PipelineRun>, pr: PipelineRun): string[] {
  const out: string[] = [];
  let cur: PipelineRun | undefined = pr;
  for (let depth = 0; cur && depth < 64; depth++) {
    out.push(cur.metadata.labels?.['tekton.dev/pipeline'] ?? cur.spec.pipelineRef?.name ?? '');
    const owner: OwnerReference | undefined = cur.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'PipelineRun');
    cur = owner ? cache.get(`${cur.metadata.namespace ?? 'default'}/${owner.name}`) : undefined;
  }
  return out;
}

function isFinished(pr: PipelineRun): boolean {
  const c = pr.status?.conditions?.find((x) => x.type === 'Succeeded');
  return !!c && c.status !== 'Unknown' && !!pr.status?.completionTime;
}

/** Child creates or cancel patches in flight at once (a wide run has thousands; one at a time took tens of seconds). */
const IN_FLIGHT = 32;

/** Runs `fn` over `items`, `IN_FLIGHT` at a time; false when `stop` said so before every item was started. */
async function pooled<T>(items: readonly T[], fn: (item: T) => Promise<unknown>, stop: () => boolean = () => false): Promise<boolean> {
  let next = 0;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stopped) {
      if (next > 0 && stop()) {
        stopped = true;
        return;
      }
      await fn(items[next++] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
  return !stopped;
}

/**
 * Creates PVCs, then the children (a bounded number at a time; false when `interrupted` stopped them — what was
 * created is found by the next reconcile), then cancels children (as Tekton, before the run's status says it
 * finished), also a bounded number at a time.
 */
async function applyActions(client: KubeClient, ns: string, plan: Plan, interrupted: () => boolean): Promise<boolean> {
  const creates: Array<() => Promise<unknown>> = [];
  const cancels: Array<() => Promise<unknown>> = [];
  for (const action of plan.actions) {
    if (action.type === 'createPVC') {
      await ignoreExists(client.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...action.pvc, metadata: { ...action.pvc.metadata, namespace: ns } }));
    } else if (action.type === 'createTaskRun') {
      creates.push(() => ignoreExists(client.create(action.taskRun)));
    } else if (action.type === 'cancelTaskRun') {
      cancels.push(() => ignoreMissing(client.patch(TASKRUN, ns, action.name, { spec: { status: 'TaskRunCancelled', statusMessage: action.message } })));
    } else if (action.type === 'createPipelineRun') {
      creates.push(() => ignoreExists(client.create(action.pipelineRun)));
    } else if (action.type === 'createCustomRun') {
      creates.push(() => ignoreExists(client.create(action.customRun)));
    } else if (action.type === 'cancelPipelineRun') {
      cancels.push(() => ignoreMissing(client.patch(PIPELINERUN, ns, action.name, { spec: { status: 'Cancelled' } })));
    } else if (action.type === 'cancelCustomRun') {
      cancels.push(() => ignoreMissing(client.patch(CUSTOMRUN, ns, action.name, { spec: { status: 'RunCancelled', statusMessage: action.message } })));
    }
  }
  if (!(await pooled(creates, (f) => f(), interrupted))) return false;
  await pooled(cancels, (f) => f());
  return true;
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}
