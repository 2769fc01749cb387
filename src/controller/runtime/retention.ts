/**
 * What the controllers' informer caches keep, so that their memory stays flat however many finished runs the
 * cluster keeps (client-go's informers would hold all of them). Both reconcilers return at once for a finished run,
 * so a finished run is needed in a cache only while its parent PipelineRun still runs (the parent's plan reads its
 * children's status through the index), and a pod only while its TaskRun runs. Everything else is let go: a get()
 * of it misses the cache (a read through the client then asks the API server) and handlers still hear of it.
 */
import type { CustomRun, KubeObject, PipelineRun, Pod, TaskRun } from '../../api/types.js';
import { keyOf, type Informer } from './informer.js';

/** Label of a run's parent PipelineRun (and the index of children by it). */
const PARENT = 'tekton.dev/pipelineRun';
/** Label of a pod's TaskRun (and the index of pods by it). */
const TASK_RUN = 'tekton.dev/taskRun';

/** Whether a run is finished the way the reconcilers decide it: Succeeded is not Unknown and it has a completionTime. */
export function isDone(run: { status?: { conditions?: Array<{ type: string; status: string }>; completionTime?: string } }): boolean {
  const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
  return !!c && c.status !== 'Unknown' && !!run.status?.completionTime;
}

export interface RetainedCaches {
  pipelineRuns: Informer<PipelineRun>;
  taskRuns: Informer<TaskRun>;
  customRuns: Informer<CustomRun>;
  pods: Informer<Pod>;
}

/** The index of pods by their TaskRun's key; register before the informers start. */
export function indexPodsByTaskRun(pods: Informer<Pod>): void {
  pods.addIndex(TASK_RUN, (p) => {
    const v = p.metadata.labels?.[TASK_RUN];
    return v === undefined ? [] : [`${p.metadata.namespace ?? ''}/${v}`];
  });
}

/**
 * Registers the handlers that let children go when their parent finishes, and the PipelineRuns' first rule;
 * call before the informers start. Start the PipelineRun informer first and call `pipelineRunsSynced` once it is
 * synced, then start the TaskRun and Pod informers (in that order): their rules read the caches of the parents,
 * so a parent must not be missing for having been listed after its child. Until then a finished PipelineRun is
 * kept only if it names a parent (which may come later in the list); afterwards the full rules apply.
 */
export function retainRunningWork(c: RetainedCaches): { pipelineRunsSynced(): void } {
  const parentKey = (run: KubeObject): string | undefined => {
    const parent = run.metadata.labels?.[PARENT];
    const key = parent === undefined ? undefined : `${run.metadata.namespace ?? ''}/${parent}`;
    return key === keyOf(run) ? undefined : key;
  };
  const parentRunning = (run: KubeObject): boolean => {
    const key = parentKey(run);
    const pr = key === undefined ? undefined : c.pipelineRuns.get(key);
    return pr !== undefined && !isDone(pr);
  };
  const keepRun = (run: PipelineRun | TaskRun): boolean => !isDone(run) || parentRunning(run);
  const keepPod = (pod: Pod): boolean => {
    const tr = pod.metadata.labels?.[TASK_RUN];
    const owner = tr === undefined ? undefined : c.taskRuns.get(`${pod.metadata.namespace ?? ''}/${tr}`);
    return owner !== undefined && !isDone(owner);
  };
  let synced = false;
  const onPipelineRun = (pr: PipelineRun): void => {
    if (!synced || !isDone(pr)) return;
    const key = keyOf(pr);
    c.taskRuns.recheck(c.taskRuns.byIndex(PARENT, key));
    c.pipelineRuns.recheck(c.pipelineRuns.byIndex(PARENT, key));
  };
  const onTaskRun = (tr: TaskRun): void => {
    if (synced && isDone(tr)) c.pods.recheck(c.pods.byIndex(TASK_RUN, keyOf(tr)));
  };
  c.pipelineRuns.addHandlers({ onAdd: onPipelineRun, onUpdate: onPipelineRun });
  c.taskRuns.addHandlers({ onAdd: onTaskRun, onUpdate: onTaskRun });
  c.pipelineRuns.setRetention((pr) => !isDone(pr) || parentKey(pr) !== undefined);
  return {
    pipelineRunsSynced() {
      synced = true;
      c.pipelineRuns.setRetention(keepRun);
      c.taskRuns.setRetention(keepRun);
      c.pods.setRetention(keepPod);
    },
  };
}
