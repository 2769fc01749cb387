/**
 * Logs of a PipelineRun. Live mode (`-f` on a running PipelineRun) watches its TaskRuns (label
 * tekton.dev/pipelineRun) and follows each one as it appears, concurrently, so parallel tasks interleave line
 * by line; it ends when the PipelineRun is done and every follower has read its pods to the end. Snapshot mode
 * reads each TaskRun in turn, in execution order (start time, then pipeline order).
 */
import type { PipelineRun, TaskRun } from '../../api/types.js';
import { KIND } from '../kinds.js';
import { pipelineTaskOf } from '../output/pipelinerun.js';
import { isDone, succeededCondition } from '../output/status.js';
import type { FollowContext } from './pod.js';
import { followTaskRunView, snapshotTaskRun, viewOf } from './taskrun.js';
import { Watched } from './watch.js';

/** Options of {@link pipelineRunLogs}. */
export interface PipelineRunLogOptions {
  follow: boolean;
  /** Only these pipeline tasks. */
  tasks?: string[];
  /** Run name for prefixes when several runs are followed. */
  run?: string;
  /** Only TaskRuns that failed (`--log-failed`; snapshot mode). */
  failedOnly?: boolean;
}

function specOrder(pr: PipelineRun): string[] {
  const spec = pr.status?.pipelineSpec ?? pr.spec.pipelineSpec;
  return [...(spec?.tasks ?? []), ...(spec?.finally ?? [])].map((t) => t.name);
}

/** TaskRuns in execution order: start (or creation) time, then pipeline order, then name. */
export function executionOrder(pr: PipelineRun, taskRuns: TaskRun[]): TaskRun[] {
  const order = specOrder(pr);
  const index = new Map<string, number>();
  order.forEach((t, i) => { if (!index.has(t)) index.set(t, i); });
  const ranks = new Map<TaskRun, number>(taskRuns.map((tr) => [tr, index.get(pipelineTaskOf(pr, tr)) ?? order.length]));
  const rank = (tr: TaskRun): number => ranks.get(tr) ?? order.length;
  const time = (tr: TaskRun): string => tr.status?.startTime ?? tr.metadata.creationTimestamp ?? '~';
  // by code unit: the same order as localeCompare for RFC 3339 times and DNS names, without ICU's ~10 ms first use
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return [...taskRuns].sort((a, b) => cmp(time(a), time(b)) || rank(a) - rank(b) || cmp(a.metadata.name ?? '', b.metadata.name ?? ''));
}

function wanted(pr: PipelineRun, tr: TaskRun, opts: PipelineRunLogOptions): boolean {
  if (opts.failedOnly && succeededCondition(tr.status?.conditions)?.status !== 'False') return false;
  return !opts.tasks?.length || opts.tasks.includes(pipelineTaskOf(pr, tr));
}

function reportRunFailure(fc: FollowContext, pr: PipelineRun | undefined): void {
  const c = succeededCondition(pr?.status?.conditions);
  if (c?.status === 'False' && c.message) fc.printer.error(c.message);
}

async function snapshot(fc: FollowContext, pr: PipelineRun, opts: PipelineRunLogOptions): Promise<PipelineRun> {
  const list = await fc.client.list<TaskRun>(KIND.TaskRun, fc.namespace, { labelSelector: `tekton.dev/pipelineRun=${pr.metadata.name ?? ''}` });
  const shown = executionOrder(pr, list.items).filter((tr) => wanted(pr, tr, opts));
  if (opts.failedOnly && shown.length === 0) fc.printer.info(`no failed TaskRuns in PipelineRun ${pr.metadata.name ?? ''}`);
  for (const tr of shown) {
    const task = pipelineTaskOf(pr, tr);
    await snapshotTaskRun(fc, tr, { run: opts.run, task }, `task ${task}`);
  }
  reportRunFailure(fc, pr);
  return pr;
}

async function live(fc: FollowContext, name: string, opts: PipelineRunLogOptions): Promise<PipelineRun | undefined> {
  const prs = await Watched.one<PipelineRun>(fc.client, KIND.PipelineRun, fc.namespace, name, fc.signal);
  const trs = await Watched.start<TaskRun>(fc.client, KIND.TaskRun, fc.namespace, { labelSelector: `tekton.dev/pipelineRun=${name}` }, fc.signal);
  const followers = new Map<string, Promise<unknown>>();
  let last = prs.get(name);
  const start = (tr: TaskRun): void => {
    const trName = tr.metadata.name ?? '';
    const pr = prs.get(name) ?? last;
    if (fc.signal?.aborted || followers.has(trName) || !pr || !wanted(pr, tr, opts)) return;
    const task = pipelineTaskOf(pr, tr);
    followers.set(trName, followTaskRunView(fc, viewOf(trs, trName), { run: opts.run, task }, `task ${task}`));
  };
  try {
    trs.onChange(start);
    await prs.waitUntil(() => prs.isDeleted(name) || isDone(prs.get(name)?.status?.conditions));
    last = prs.get(name) ?? last;
    if (fc.signal?.aborted) {
      await Promise.all(followers.values());
      return last;
    }
    await trs.relist();
    for (const tr of trs.all()) start(tr);
    await Promise.all(followers.values());
    reportRunFailure(fc, last);
    return last;
  } finally {
    prs.stop();
    trs.stop();
  }
}

/** `tkt pipelinerun logs`: answers the PipelineRun's last version (undefined if it was deleted meanwhile). */
export async function pipelineRunLogs(fc: FollowContext, name: string, opts: PipelineRunLogOptions): Promise<PipelineRun | undefined> {
  const pr = await fc.client.get<PipelineRun>(KIND.PipelineRun, fc.namespace, name);
  if (!opts.follow || isDone(pr.status?.conditions)) return snapshot(fc, pr, opts);
  return live(fc, name, opts);
}
