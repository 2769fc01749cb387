/**
 * Streams the containers of one step pod in spec order: init containers only when asked (`--all`), then the
 * `step-*` containers, then `sidecar-*` containers when asked. In live mode each container is read once it
 * has started, following it to its end before moving to the next; in snapshot mode whatever exists is read.
 */
import type { ContainerStatus, Pod, TaskRun } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { KIND } from '../kinds.js';
import { readContainerLog } from './container.js';
import type { LogPrinter, LogSource } from './printer.js';
import { Watched } from './watch.js';

/** What to show and how. */
export interface StreamOptions {
  timestamps?: boolean;
  /** Include init containers (Tekton's own setup steps). */
  includeInit?: boolean;
  /** Include sidecar containers, after the steps. */
  includeSidecars?: boolean;
  /** Only these step names (container name without `step-`). */
  steps?: string[];
}

/** The shared state of one log command. */
export interface FollowContext {
  client: KubeClient;
  namespace: string;
  printer: LogPrinter;
  options: StreamOptions;
  /** Aborted: followers stop watching and reading at once (`tkt run` after its --timeout or Ctrl-C). */
  signal?: AbortSignal;
}

/** The step name shown in prefixes: the container name without `step-`/`sidecar-`. */
export function stepName(container: string): string {
  return container.replace(/^(step|sidecar)-/, '');
}

/** Container names to show, in order, from the pod or (pod gone) from the TaskRun's step states. */
export function logContainers(pod: Pod | undefined, taskRun: TaskRun | undefined, opts: StreamOptions): string[] {
  const init = pod?.spec.initContainers?.map((c) => c.name) ?? [];
  const main = pod?.spec.containers.map((c) => c.name) ?? (taskRun?.status?.steps ?? []).map((s) => s.container);
  const steps = main.filter((n) => n.startsWith('step-') && (!opts.steps?.length || opts.steps.includes(stepName(n))));
  const sidecars = main.filter((n) => n.startsWith('sidecar-'));
  return [...(opts.includeInit ? init : []), ...steps, ...(opts.includeSidecars ? sidecars : [])];
}

function statusOf(pod: Pod | undefined, container: string): ContainerStatus | undefined {
  const all = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
  return all.find((s) => s.name === container);
}

function hasStarted(pod: Pod | undefined, container: string): boolean {
  const state = statusOf(pod, container)?.state;
  return Boolean(state?.running || state?.terminated);
}

function podEnded(pod: Pod | undefined): boolean {
  return pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed';
}

async function printContainer(fc: FollowContext, pod: string, container: string, src: Omit<LogSource, 'step'>, ended?: () => boolean): Promise<void> {
  const source: LogSource = { ...src, step: stepName(container) };
  let lines = 0;
  await readContainerLog(fc.client, fc.namespace, pod, container, {
    follow: ended !== undefined, ended, timestamps: fc.options.timestamps, ...(fc.signal ? { signal: fc.signal } : {}), onLine: (line) => { lines++; fc.printer.line(source, line); },
  });
  // tkn ends each step's output with a blank line; a step that printed nothing prints nothing at all.
  if (lines > 0) fc.printer.endOfStep();
}

function hasStopped(pod: Pod | undefined, container: string): boolean {
  return !pod || podEnded(pod) || Boolean(statusOf(pod, container)?.state?.terminated);
}

/** Reads every container of a pod that has (or had) a log, without following. */
export async function snapshotPod(fc: FollowContext, podName: string, taskRun: TaskRun | undefined, src: Omit<LogSource, 'step'>): Promise<void> {
  const pod = await fc.client.tryGet<Pod>(KIND.Pod, fc.namespace, podName);
  for (const container of logContainers(pod, taskRun, fc.options)) {
    if (pod && !hasStarted(pod, container) && !podEnded(pod)) continue;
    await printContainer(fc, podName, container, src);
  }
}

/**
 * Follows a pod: waits for it to exist (or for `giveUp` to resolve), then for each container waits until it
 * has started (or the pod ended or vanished) and reads its log to the end.
 */
export async function followPod(fc: FollowContext, podName: string, taskRun: TaskRun | undefined, src: Omit<LogSource, 'step'>, giveUp: Promise<void>): Promise<void> {
  const w = await Watched.one<Pod>(fc.client, KIND.Pod, fc.namespace, podName, fc.signal);
  try {
    await Promise.race([w.waitUntil(() => w.get(podName) !== undefined || w.isDeleted(podName)), giveUp]);
    if (fc.signal?.aborted) return;
    const pod = w.get(podName) ?? (await fc.client.tryGet<Pod>(KIND.Pod, fc.namespace, podName));
    if (!pod) return snapshotPod(fc, podName, taskRun, src);
    for (const container of logContainers(pod, taskRun, fc.options)) {
      await w.waitUntil(() => w.isDeleted(podName) || hasStarted(w.get(podName), container) || podEnded(w.get(podName)));
      if (fc.signal?.aborted) return;
      const now = w.get(podName);
      if (now && !hasStarted(now, container) && podEnded(now)) continue;
      await printContainer(fc, podName, container, src, now ? () => w.isDeleted(podName) || hasStopped(w.get(podName), container) : undefined);
    }
  } finally {
    w.stop();
  }
}
