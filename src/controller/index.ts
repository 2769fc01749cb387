/**
 * Starts tektite's controllers against any API server (embedded or a real cluster): informers for
 * PipelineRuns, TaskRuns and Pods, and one controller per reconciled kind. Children enqueue their owner.
 */
import type { KubeObject, PipelineRun, Pod, TaskRun } from '../api/types.js';
import type { KubeClient } from '../kube/client.js';
import { defaultControllerConfig, type ControllerConfig } from './config.js';
import { Controller, silentLogger, type Logger } from './runtime/controller.js';
import { Informer, keyOf } from './runtime/informer.js';
import { pipelineRunReconciler } from './pipelinerun/reconciler.js';
import { taskRunReconciler } from './taskrun/reconciler.js';

export interface RunningControllers {
  stop(): Promise<void>;
}

export interface RunControllersOptions {
  client: KubeClient;
  config?: Partial<ControllerConfig>;
  log?: Logger;
  /** Restrict to one namespace (default: all). */
  namespace?: string;
}

/** Starts the TaskRun and PipelineRun controllers; resolves once their caches are synced. */
export async function runControllers(opts: RunControllersOptions): Promise<RunningControllers> {
  const config = defaultControllerConfig(opts.config);
  const log = opts.log ?? silentLogger;
  const onError = (kind: string) => (err: unknown): void => log.warn({ kind, err: err instanceof Error ? err.message : String(err) }, 'informer error; relisting');
  const informerOpts = (kind: string) => ({ namespace: opts.namespace, onError: onError(kind) });
  const pipelineRuns = new Informer<PipelineRun>(opts.client, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, informerOpts('PipelineRun'));
  const taskRuns = new Informer<TaskRun>(opts.client, { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }, informerOpts('TaskRun'));
  const pods = new Informer<Pod>(opts.client, { apiVersion: 'v1', kind: 'Pod' }, { ...informerOpts('Pod'), labelSelector: 'tekton.dev/taskRun' });

  const prController = new Controller({ name: 'pipelinerun', workers: config.workers, log, reconcile: pipelineRunReconciler({ client: opts.client, pipelineRuns, taskRuns, config }) });
  const trController = new Controller({ name: 'taskrun', workers: config.workers, log, reconcile: taskRunReconciler({ client: opts.client, taskRuns, pods, config }) });

  const self = (c: Controller) => (obj: KubeObject): void => c.enqueue(keyOf(obj));
  const owner = (c: Controller, label: string) => (obj: KubeObject): void => {
    const name = obj.metadata.labels?.[label];
    if (name) c.enqueue(`${obj.metadata.namespace}/${name}`);
  };
  const all = (f: (o: KubeObject) => void) => ({ onAdd: f, onUpdate: f, onDelete: f });
  pipelineRuns.addHandlers(all(self(prController)));
  taskRuns.addHandlers(all(self(trController)));
  taskRuns.addHandlers(all(owner(prController, 'tekton.dev/pipelineRun')));
  pods.addHandlers(all(owner(trController, 'tekton.dev/taskRun')));

  await Promise.all([pods.start(), taskRuns.start(), pipelineRuns.start()]);
  prController.start();
  trController.start();
  return {
    async stop() {
      for (const i of [pipelineRuns, taskRuns, pods]) i.stop();
      await Promise.all([prController.stop(), trController.stop()]);
    },
  };
}
