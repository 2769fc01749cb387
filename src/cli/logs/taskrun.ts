/**
 * Logs of one TaskRun: every pod it ran (retries first, then the current one), each step in order. Live mode
 * follows the TaskRun until it is done, streaming each pod as it appears; snapshot mode reads what exists.
 */
import type { TaskRun } from '../../api/types.js';
import { KIND } from '../kinds.js';
import { isDone, succeededCondition } from '../output/status.js';
import { followPod, snapshotPod, type FollowContext } from './pod.js';
import type { LogSource } from './printer.js';
import { Watched } from './watch.js';

/** A changing TaskRun: the current version and a way to wait for changes. */
export interface TaskRunView {
  current(): TaskRun | undefined;
  gone(): boolean;
  waitUntil(test: () => boolean): Promise<void>;
}

/** The pods of a TaskRun in the order they ran. */
export function podsOf(tr: TaskRun | undefined): string[] {
  const names = [...(tr?.status?.retriesStatus ?? []).map((r) => r.podName), tr?.status?.podName];
  return [...new Set(names.filter((n): n is string => Boolean(n)))];
}

function reportFailure(fc: FollowContext, tr: TaskRun, what: string): void {
  const c = succeededCondition(tr.status?.conditions);
  if (c?.status === 'False') fc.printer.error(`${what} has failed: ${c.message ?? c.reason ?? 'unknown reason'}`);
}

/** Announces attempt `index` (0 = the first, which needs no announcement) of a TaskRun. */
function announceAttempt(fc: FollowContext, tr: TaskRun | undefined, index: number, pod: string, what: string): void {
  if (index === 0) return;
  const retries = tr?.spec.retries;
  fc.printer.separator(`--- ${what}: retry ${index}${retries ? ` of ${retries}` : ''} (pod ${pod}) ---`);
}

/** Reads the logs of a TaskRun as they are now. */
export async function snapshotTaskRun(fc: FollowContext, tr: TaskRun, src: Omit<LogSource, 'step'>, what: string): Promise<void> {
  for (const [i, pod] of podsOf(tr).entries()) {
    announceAttempt(fc, tr, i, pod, what);
    await snapshotPod(fc, pod, tr, src);
  }
  reportFailure(fc, tr, what);
}

/** Follows a TaskRun through its pods until it is done (or deleted); answers its last version. */
export async function followTaskRunView(fc: FollowContext, view: TaskRunView, src: Omit<LogSource, 'step'>, what: string): Promise<TaskRun | undefined> {
  const streamed = new Set<string>();
  const nextPod = (): string | undefined => podsOf(view.current()).find((p) => !streamed.has(p));
  for (;;) {
    await view.waitUntil(() => view.gone() || isDone(view.current()?.status?.conditions) || nextPod() !== undefined);
    if (fc.signal?.aborted) return view.current();
    const pod = nextPod();
    if (pod) {
      announceAttempt(fc, view.current(), streamed.size, pod, what);
      streamed.add(pod);
      const giveUp = view.waitUntil(() => view.gone() || isDone(view.current()?.status?.conditions));
      await followPod(fc, pod, view.current(), src, giveUp);
      continue;
    }
    const tr = view.current();
    if (tr) reportFailure(fc, tr, what);
    return tr;
  }
}

/** A view of one object of a watched selection. */
export function viewOf(w: Watched<TaskRun>, name: string): TaskRunView {
  return { current: () => w.get(name), gone: () => w.isDeleted(name), waitUntil: (test) => w.waitUntil(test) };
}

/**
 * `tkt taskrun logs`: snapshot, or follow until the TaskRun is done. Answers the TaskRun's last version. `run`
 * names the run in prefixes when the printer shows run names.
 */
export async function taskRunLogs(fc: FollowContext, name: string, follow: boolean, run?: string): Promise<TaskRun | undefined> {
  const tr = await fc.client.get<TaskRun>(KIND.TaskRun, fc.namespace, name);
  const src = { run };
  if (!follow || isDone(tr.status?.conditions)) {
    await snapshotTaskRun(fc, tr, src, `TaskRun ${name}`);
    return tr;
  }
  const w = await Watched.one<TaskRun>(fc.client, KIND.TaskRun, fc.namespace, name, fc.signal);
  try {
    return await followTaskRunView(fc, viewOf(w, name), src, `TaskRun ${name}`);
  } finally {
    w.stop();
  }
}
