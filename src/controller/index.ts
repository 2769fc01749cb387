/**
 * Starts tektite's controllers against any API server (embedded or a real cluster): informers for
 * PipelineRuns, TaskRuns and Pods, and one controller per reconciled kind. Children enqueue their owner.
 * Tasks, Pipelines, StepActions and ServiceAccounts are read through informer caches too (a get per reconcile otherwise), and the
 * reconcilers' own writes are fed back into the caches (see runtime/caches.ts).
 */
import { REF } from '../api/registry.js';
import type { CustomRun, KubeObject, PipelineRun, Pod, TaskRun } from '../api/types.js';
import type { KindRef, KubeClient } from '../kube/client.js';
import { eventRecorder, flushWithin, noEvents, type EventRecorder } from '../kube/events.js';
import { defaultControllerConfig, type ControllerConfig } from './config.js';
import { InformerCaches } from './runtime/caches.js';
import { Controller, silentLogger, type ControllerStats, type Logger } from './runtime/controller.js';
import { Informer, keyOf, labelIndex, type InformerHandlers } from './runtime/informer.js';
import { indexPodsByTaskRun, retainRunningWork } from './runtime/retention.js';
import { waitReconciler } from './customrun/wait.js';
import { mattersToParent } from './pipelinerun/child-events.js';
import { pipelineRunReconciler } from './pipelinerun/reconciler.js';
import { OwnWrites, sameMetadata } from './runtime/own-writes.js';
import { taskRunReconciler } from './taskrun/reconciler.js';

export interface RunningControllers {
  /** Stops; Events still queued are written for up to `flushMs` (default 2 s), then dropped. */
  stop(flushMs?: number): Promise<void>;
  /** Counters per controller (`pipelinerun`, `taskrun`, `wait`). */
  stats(): Record<string, ControllerStats>;
}

export interface RunControllersOptions {
  client: KubeClient;
  config?: Partial<ControllerConfig>;
  /** The configuration object itself, read at each use (Tekton's ConfigMaps update it in place); wins over `config`. */
  liveConfig?: ControllerConfig;
  log?: Logger;
  /** Restrict to one namespace (default: all). */
  namespace?: string;
  /** Write Kubernetes Events about runs (default true). */
  events?: boolean;
}

const REFS = {
  pipelineRun: REF.PipelineRun,
  taskRun: REF.TaskRun,
  customRun: REF.CustomRun,
  pod: REF.Pod,
  task: REF.Task,
  pipeline: REF.Pipeline,
  stepAction: REF.StepAction,
} satisfies Record<string, KindRef>;

/** The informers of the controllers, registered as the client's read-through cache. */
function makeInformers(opts: RunControllersOptions, log: Logger) {
  const caches = new InformerCaches();
  const make = <T extends KubeObject>(ref: KindRef, labelSelector?: string): Informer<T> => caches.add(ref, new Informer<T>(opts.client, ref, {
    namespace: opts.namespace, labelSelector,
    onError: (err: unknown) => log.warn({ kind: ref.kind, err: err instanceof Error ? err.message : String(err) }, 'informer error; relisting'),
  }));
  const informers = {
    pipelineRuns: make<PipelineRun>(REFS.pipelineRun),
    taskRuns: make<TaskRun>(REFS.taskRun),
    customRuns: make<CustomRun>(REFS.customRun),
    pods: make<Pod>(REFS.pod, 'tekton.dev/taskRun'),
    definitions: [make(REFS.task), make(REFS.pipeline), make(REFS.stepAction), make(REF.ServiceAccount)],
  };
  informers.taskRuns.addIndex('tekton.dev/pipelineRun', labelIndex('tekton.dev/pipelineRun'));
  informers.pipelineRuns.addIndex('tekton.dev/pipelineRun', labelIndex('tekton.dev/pipelineRun'));
  informers.customRuns.addIndex('tekton.dev/pipelineRun', labelIndex('tekton.dev/pipelineRun'));
  indexPodsByTaskRun(informers.pods);
  // finished runs and their pods leave the caches once no running parent needs them (flat memory)
  const retention = retainRunningWork(informers);
  return { ...informers, retention, client: opts.client.withCache(caches) };
}

/** Starts the TaskRun and PipelineRun controllers; resolves once their caches are synced. */
export async function runControllers(opts: RunControllersOptions): Promise<RunningControllers> {
  const config = opts.liveConfig ?? defaultControllerConfig(opts.config);
  const log = opts.log ?? silentLogger;
  const { pipelineRuns, taskRuns, customRuns, pods, definitions, retention, client } = makeInformers(opts, log);
  // the knative agent names of Tekton's controllers are the event source components
  const recorder = (component: string): EventRecorder => (opts.events === false ? noEvents : eventRecorder((e) => opts.client.create(e), { component }));
  const events = { pipelineRun: recorder('PipelineRun'), taskRun: recorder('TaskRun') };
  const prWrites = new OwnWrites();
  const trWrites = new OwnWrites();
  const prController = new Controller({ name: 'pipelinerun', workers: config.workers, log, reconcile: pipelineRunReconciler({ client, pipelineRuns, taskRuns, customRuns, config, events: events.pipelineRun, ownWrites: prWrites }) });
  const trController = new Controller({ name: 'taskrun', workers: config.workers, log, reconcile: taskRunReconciler({ client, taskRuns, pods, config, events: events.taskRun, ownWrites: trWrites }) });
  const waitController = new Controller({ name: 'wait', workers: 1, log, reconcile: waitReconciler({ client, customRuns }) });
  const self = (c: Controller) => (obj: KubeObject): void => c.enqueue(keyOf(obj));
  const owner = (c: Controller, label: string) => (obj: KubeObject): void => {
    const name = obj.metadata.labels?.[label];
    if (name) c.enqueue(`${obj.metadata.namespace}/${name}`);
  };
  const all = (f: (o: KubeObject) => void) => ({ onAdd: f, onUpdate: f, onDelete: f });
  pipelineRuns.addHandlers({
    onAdd: self(prController),
    onDelete: self(prController),
    onUpdate: (obj, old) => {
      // a changed spec (cancel, stop) is acted on at once; the watch echoing the reconciler's own status write
      // brings nothing to decide
      if (obj.metadata.generation !== old.metadata.generation) prController.enqueueNow(keyOf(obj));
      else if (!(sameMetadata(obj, old) && prWrites.isOwnStatus(keyOf(obj), obj.status))) prController.enqueue(keyOf(obj));
    },
  });
  taskRuns.addHandlers({
    onAdd: self(trController),
    onDelete: self(trController),
    onUpdate: (obj, old) => {
      if (!(sameMetadata(obj, old) && trWrites.isOwnStatus(keyOf(obj), obj.status))) trController.enqueue(keyOf(obj));
    },
  });
  // children wake their parent only with news for its plan (not its own creates, not progress the plan does not read)
  const parent = owner(prController, 'tekton.dev/pipelineRun');
  const childHandlers: InformerHandlers<KubeObject> = {
    onAdd: (obj) => {
      if (!prWrites.isOwnCreate(obj)) parent(obj);
    },
    onUpdate: (obj, old) => {
      if (mattersToParent(obj, old)) parent(obj);
    },
    onDelete: parent,
  };
  taskRuns.addHandlers(childHandlers);
  pipelineRuns.addHandlers(childHandlers);
  customRuns.addHandlers(childHandlers);
  customRuns.addHandlers(all(self(waitController)));
  const podOwner = owner(trController, 'tekton.dev/taskRun');
  pods.addHandlers({
    onAdd: (pod) => {
      if (!trWrites.isOwnCreate(pod)) podOwner(pod);
    },
    onUpdate: podOwner,
    onDelete: podOwner,
  });
  // definitions are a cache only: a miss falls back to a GET, so the controllers need not wait for them
  for (const d of definitions) void d.start();
  // parents first: the caches' retention rules read the parent's cache (see runtime/retention.ts)
  await Promise.all([pipelineRuns.start(), customRuns.start()]);
  retention.pipelineRunsSynced();
  await taskRuns.start();
  await pods.start();
  prController.start();
  trController.start();
  waitController.start();
  return {
    stats: () => ({ pipelinerun: { ...prController.stats }, taskrun: { ...trController.stats }, wait: { ...waitController.stats } }),
    async stop(flushMs = 2000) {
      for (const i of [pipelineRuns, taskRuns, customRuns, pods, ...definitions]) i.stop();
      await Promise.all([prController.stop(), trController.stop(), waitController.stop()]);
      await Promise.all([flushWithin(events.pipelineRun, flushMs), flushWithin(events.taskRun, flushMs)]);
    },
  };
}
