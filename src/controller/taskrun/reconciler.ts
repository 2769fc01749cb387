/**
 * The TaskRun reconciler: gather (TaskRun, its TaskSpec and StepActions, its Pod) → decide (pure engine plan)
 * → apply (create/delete/annotate pods, then write the status once).
 */
import type { Pod, TaskRun, TaskSpec } from '../../api/types.js';
import { isDone, setSucceeded } from '../../engine/conditions.js';
import { claimNameForTemplate } from '../../engine/names.js';
import { decideTaskRun } from '../../engine/taskrun/decide.js';
import { resolveTaskSpec } from '../../engine/taskrun/resolve.js';
import { provenance, taskRunMetadata } from '../../engine/run-metadata.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError, isAlreadyExists } from '../../kube/errors.js';
import type { EventRecorder } from '../../kube/events.js';
import { builtinImageEntrypoints, buildPod, withDefaultPodTemplate, type ImageEntrypointLookup } from '../../pod/index.js';
import { ImageLookupError, prefetchImageEntrypoints, type RegistryLookup } from '../entrypoint-lookup/index.js';
import type { ControllerConfig } from '../config.js';
import { isManagedByUs } from '../config.js';
import { provenanceFeatureFlags } from '../provenance.js';
import { recordRunEvents, syncMetadata } from '../run-meta.js';
import type { Informer } from '../runtime/informer.js';
import { splitKey } from '../runtime/informer.js';
import type { ReconcileResult } from '../runtime/controller.js';
import { OwnWrites } from '../runtime/own-writes.js';
import { writeStatus } from '../runtime/status-writer.js';
import { gatherCredentials, serviceAccountOf } from './creds.js';
import { PinnedSpecs } from './pinned.js';
import { fetchTaskSpec } from './resolve.js';
import { gatherSidecarLogs } from './sidecar-logs.js';

const POD = { apiVersion: 'v1', kind: 'Pod' };

export interface TaskRunReconcilerDeps {
  client: KubeClient;
  taskRuns: Informer<TaskRun>;
  pods: Informer<Pod>;
  config: ControllerConfig;
  /** Registry lookup of image ENTRYPOINT/CMD for steps without a command (cluster mode); else the built-in table. */
  imageLookup?: RegistryLookup;
  /** Kubernetes Events about the runs (Tekton's Started/Running/Succeeded/Failed). */
  events?: EventRecorder;
  now?: () => Date;
  /** Where own pod creates and status writes are recorded (the event handlers skip their echoes). */
  ownWrites?: OwnWrites;
}

type Plan = ReturnType<typeof decideTaskRun>;
type Resolved = ReturnType<typeof resolveTaskSpec>;

/** Builds the reconcile function of the TaskRun controller. */
export function taskRunReconciler(deps: TaskRunReconcilerDeps): (key: string) => Promise<ReconcileResult | void> {
  const now = deps.now ?? (() => new Date());
  const own = deps.ownWrites ?? new OwnWrites();
  const pinned = new PinnedSpecs();
  return async (key) => {
    const stored = deps.taskRuns.get(key);
    if (!stored || !isManagedByUs(stored.spec.managedBy) || isFinished(stored)) {
      own.forget(key);
      pinned.forget(key);
      return;
    }
    // the Task as it was at the run's first reconcile (Tekton: status.taskSpec is the source of truth from then on;
    // a controller that did not fetch it itself, after a restart or a change of leader, reads a referenced one there)
    const fetched = await pinned.fetched(key, stored, () => (stored.spec.taskRef && stored.status?.taskSpec ? Promise.resolve(fromStatus(stored)) : fetchTaskSpec(deps.client, stored)));
    // Tekton merges the Task's labels and annotations into the run once, when it first stores the spec; the pod inherits them
    const meta = fetched.ok && !stored.status?.taskSpec ? taskRunMetadata(stored.metadata, fetched.meta, !!stored.spec.taskRef, deps.config.managedByLabel) : undefined;
    const tr = meta ? { ...stored, metadata: { ...stored.metadata, ...meta } } : stored;
    const resolved = pinned.resolved(key, tr, fetched, retryCount(tr.status), () => resolveFor(fetched, tr));
    const { namespace } = splitKey(key);
    const pod = tr.status?.podName ? deps.pods.get(`${namespace}/${tr.status.podName}`) : undefined;
    const sidecarLogs = await gatherSidecarLogs(deps.client, pod, deps.config.features.maxResultSize);
    const plan = decideTaskRun({
      taskRun: tr, resolved, pod, now: now(), defaultTimeoutMs: deps.config.defaultTimeoutMinutes * 60_000, ...(sidecarLogs ? { sidecarLogs } : {}),
      keepPodOnCancel: deps.config.features.keepPodOnCancel,
    });
    // a retry starts a new attempt: its pod sees the new $(context.task.retry-count), so resolve again for it
    const attempt = retryCount(plan.status);
    const forPod = attempt === retryCount(tr.status) ? resolved : pinned.resolved(key, tr, fetched, attempt, () => resolveFor(fetched, { ...tr, status: plan.status }));
    if (forPod !== resolved && forPod.ok && plan.status.taskSpec) plan.status.taskSpec = forPod.spec;
    const status = await applyActions({ ...deps, ownWrites: own }, tr, forPod, plan, now());
    if (deps.config.features.enableProvenanceInStatus && fetched.ok) status.provenance = provenance(stored.status?.provenance, provenanceFeatureFlags(deps.config), fetched.source);
    own.writingStatus(key, status);
    await writeStatus(deps.client, stored, status);
    if (isDone(status)) {
      own.forget(key);
      pinned.forget(key);
    }
    recordRunEvents(deps.events, stored, status);
    if (meta) await syncMetadata(deps.client, stored, meta);
    // a TaskRun's reconcile costs the same whatever its size: never paced (its wall time measures a busy server)
    return plan.requeueAfterMs !== undefined ? { requeueAfterMs: plan.requeueAfterMs, coalesceMs: 0 } : { coalesceMs: 0 };
  };
}

/** The spec a started run holds in its status (already resolved: StepActions inlined, variables substituted). */
function fromStatus(tr: TaskRun): Awaited<ReturnType<typeof fetchTaskSpec>> {
  return { ok: true, spec: tr.status?.taskSpec as TaskSpec, ...(tr.spec.taskRef?.name ? { taskName: tr.spec.taskRef.name } : {}), stepActions: new Map() };
}

function isFinished(tr: TaskRun): boolean {
  const c = tr.status?.conditions?.find((x) => x.type === 'Succeeded');
  return !!c && c.status !== 'Unknown' && !!tr.status?.completionTime;
}

function resolveFor(fetched: Awaited<ReturnType<typeof fetchTaskSpec>>, tr: TaskRun): Resolved {
  if (!fetched.ok) return fetched;
  return resolveTaskSpec({ taskRun: tr, taskSpec: fetched.spec, taskName: fetched.taskName, stepActions: fetched.stepActions });
}

function retryCount(status: TaskRun['status']): number {
  return status?.retriesStatus?.length ?? 0;
}

/** Carries out the plan's actions; answers the status to write (a pod that cannot be built fails the run). */
async function applyActions(deps: TaskRunReconcilerDeps, tr: TaskRun, resolved: Resolved, plan: Plan, at: Date): Promise<NonNullable<TaskRun['status']>> {
  const ns = tr.metadata.namespace ?? 'default';
  for (const action of plan.actions) {
    if (action.type === 'createPod') {
      if (!resolved.ok) continue;
      await createWorkspacePvcs(deps.client, tr);
      const images = await imageEntrypoints(deps, tr, resolved.spec);
      if (!images.ok) {
        return setSucceeded({ ...plan.status, completionTime: at.toISOString() }, { status: 'False', reason: 'PodCreationFailed', message: images.message }, at);
      }
      const built = buildPod({
        taskRun: withDefaultPodTemplate(tr, deps.config.defaultPodTemplate), spec: resolved.spec, podName: action.podName,
        config: {
          entrypointImage: deps.config.entrypointImage, awaitSidecarReadiness: deps.config.awaitSidecarReadiness,
          managedBy: deps.config.managedByLabel, imageEntrypoint: images.lookup, resultsFrom: deps.config.features.resultsFrom,
          keepPodOnCancel: deps.config.features.keepPodOnCancel,
        },
        credentials: await gatherCredentials(deps.client, tr, deps.config),
      });
      if (!built.ok) {
        return setSucceeded({ ...plan.status, completionTime: at.toISOString() }, { status: 'False', reason: built.reason, message: built.message }, at);
      }
      try {
        await (deps.ownWrites ?? new OwnWrites()).create(built.pod, (p) => deps.client.create(p));
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        // refused by admission (Pod Security, validation): final, as Tekton's handlePodCreationError
        if (err instanceof ApiError && (err.code === 403 || err.code === 422) && !/exceeded quota/i.test(err.message)) {
          const task = tr.spec.taskRef?.name ?? '';
          const message = `failed to create task run pod "${tr.metadata.name ?? ''}": ${err.message}. Maybe missing or invalid Task ${ns}/${task}`;
          return setSucceeded({ ...plan.status, completionTime: at.toISOString() }, { status: 'False', reason: 'PodCreationFailed', message }, at);
        }
        throw err;
      }
    } else if (action.type === 'deletePod') {
      await deps.client.delete(POD, ns, action.podName);
    } else if (action.type === 'cancelPod') {
      await deps.client.patch(POD, ns, action.podName, { metadata: { annotations: { 'tekton.dev/cancel': 'CANCEL' } } });
    } else if (action.type === 'markSidecarsReady') {
      await deps.client.patch(POD, ns, action.podName, { metadata: { annotations: { 'tekton.dev/ready': 'READY' } } });
    } else if (action.type === 'stopSidecars') {
      await stopSidecars(deps, ns, action.podName);
    }
  }
  return plan.status;
}

/** The ENTRYPOINT/CMD lookup for this pod: registry answers fetched up front (cluster mode), else the built-in table. */
async function imageEntrypoints(deps: TaskRunReconcilerDeps, tr: TaskRun, spec: TaskSpec): Promise<{ ok: true; lookup: ImageEntrypointLookup } | { ok: false; message: string }> {
  if (!deps.imageLookup) return { ok: true, lookup: builtinImageEntrypoints };
  try {
    const ctx = {
      namespace: tr.metadata.namespace ?? 'default', serviceAccountName: serviceAccountOf(tr, deps.config),
      imagePullSecrets: (tr.spec.podTemplate?.imagePullSecrets ?? []).map((s) => s.name),
    };
    return { ok: true, lookup: await prefetchImageEntrypoints(spec, deps.imageLookup, ctx) };
  } catch (err) {
    if (err instanceof ImageLookupError) return { ok: false, message: `failed to create task run pod "${tr.metadata.name}": ${err.message}` };
    throw err;
  }
}

/** Creates the PVCs of volumeClaimTemplate workspaces, owned by the TaskRun (deleted with it), as Tekton. */
async function createWorkspacePvcs(client: KubeClient, tr: TaskRun): Promise<void> {
  for (const ws of tr.spec.workspaces ?? []) {
    const tmpl = ws.volumeClaimTemplate;
    if (!tmpl) continue;
    const name = claimNameForTemplate(ws.name, tr.metadata.uid ?? '', tmpl.metadata?.name);
    const pvc = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        ...(tmpl.metadata ?? {}), name, namespace: tr.metadata.namespace,
        ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: String(tr.metadata.name), uid: String(tr.metadata.uid), controller: true, blockOwnerDeletion: true }],
      },
      spec: tmpl.spec ?? {},
    };
    try {
      await client.create(pvc);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}

/** Switches every still-running sidecar to the nop image, as Tekton does; the kubelet stops such a container. */
async function stopSidecars(deps: TaskRunReconcilerDeps, ns: string, podName: string): Promise<void> {
  const pod = deps.pods.get(`${ns}/${podName}`);
  if (!pod) return;
  const running = new Set((pod.status?.containerStatuses ?? []).filter((c) => c.state?.running).map((c) => c.name));
  const containers = pod.spec.containers
    .filter((c) => !c.name.startsWith('step-') && running.has(c.name) && c.image !== deps.config.nopImage)
    .map((c) => ({ name: c.name, image: deps.config.nopImage }));
  if (containers.length === 0) return;
  await deps.client.patch(POD, ns, podName, { spec: { containers } }, { type: 'strategic' });
}
