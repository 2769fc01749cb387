/**
 * Following the runs of `tkt run` to their end: their logs (as `logs -f`, run names in prefixes when there
 * are several), the progress line on a terminal, `--timeout` and Ctrl-C (both cancel the runs, then wait for
 * them to stop; a second Ctrl-C stops waiting), and the final state of every run for the summary.
 */
import { setMaxListeners } from 'node:events';
import type { CustomRun, KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import type { CliContext } from '../context.js';
import { KIND } from '../kinds.js';
import { pipelineRunLogs } from '../logs/pipelinerun.js';
import type { FollowContext } from '../logs/pod.js';
import { taskRunLogs } from '../logs/taskrun.js';
import { Watched } from '../logs/watch.js';
import { isDone } from '../output/status.js';
import { progressLine, type ProgressFooter } from './progress.js';
import type { RunOutcome } from './summary.js';

/** How a session ended. */
export interface SessionResult {
  outcomes: RunOutcome[];
  /** Why the runs were cancelled, if they were. */
  stopped?: 'timeout' | 'interrupt';
}

/** Inputs of {@link followRuns}. */
export interface SessionInput {
  ctx: CliContext;
  base: FollowContext;
  runs: KubeObject[];
  /** `--timeout`: after `ms`, cancel the runs (`text` is the flag's value, for the message). */
  timeout?: { ms: number; text: string };
  footer?: ProgressFooter;
  /** How long to wait for cancelled runs to stop before giving up on them. */
  graceMs?: number;
}

function follow(base: FollowContext, run: KubeObject, several: boolean): Promise<unknown> {
  const fc = { ...base, namespace: run.metadata.namespace ?? base.namespace };
  const name = run.metadata.name ?? '';
  const label = several ? name : undefined;
  return run.kind === 'PipelineRun' ? pipelineRunLogs(fc, name, { follow: true, run: label }) : taskRunLogs(fc, name, true, label);
}

async function cancelAll(base: FollowContext, runs: KubeObject[]): Promise<void> {
  for (const r of runs) {
    const ref = r.kind === 'PipelineRun' ? KIND.PipelineRun : KIND.TaskRun;
    const ns = r.metadata.namespace ?? base.namespace;
    const current = await base.client.tryGet<PipelineRun | TaskRun>(ref, ns, r.metadata.name ?? '').catch(() => undefined);
    if (!current || isDone(current.status?.conditions)) continue;
    const status = r.kind === 'PipelineRun' ? 'Cancelled' : 'TaskRunCancelled';
    await base.client.patch(ref, ns, r.metadata.name ?? '', { spec: { status } }).catch(() => undefined);
  }
}

/**
 * Resolves when every run is done (the grace timer of followRuns bounds the wait). Each run is watched by name, so
 * the status write that ends it wakes the wait at once; a poll every 10 ms → 500 ms (growing with the time waited)
 * covers a watch that fails.
 */
async function runsDone(base: FollowContext, runs: KubeObject[]): Promise<void> {
  const key = (r: KubeObject): string => `${r.kind}/${r.metadata.namespace ?? base.namespace}/${r.metadata.name ?? ''}`;
  const pending = new Set(runs.map(key));
  let wake: () => void = () => undefined;
  const seen = (r: KubeObject | undefined, k: string): void => {
    if (!r || isDone((r as PipelineRun | TaskRun).status?.conditions)) pending.delete(k);
    if (pending.size === 0) wake();
  };
  const stops = await Promise.all(runs.map((r) => {
    const ref = r.kind === 'PipelineRun' ? KIND.PipelineRun : KIND.TaskRun;
    const k = key(r);
    return base.client.watch<KubeObject>(ref, r.metadata.namespace ?? base.namespace, { fieldSelector: `metadata.name=${r.metadata.name ?? ''}` },
      (type, obj) => { if (type !== 'BOOKMARK' && type !== 'ERROR') seen(type === 'DELETED' ? undefined : obj, k); }, () => undefined)
      .catch(() => () => undefined);
  }));
  try {
    const started = Date.now();
    while (pending.size > 0) {
      await Promise.all(runs.filter((r) => pending.has(key(r))).map(async (r) => {
        const ref = r.kind === 'PipelineRun' ? KIND.PipelineRun : KIND.TaskRun;
        const st = await base.client.tryGet<PipelineRun | TaskRun>(ref, r.metadata.namespace ?? base.namespace, r.metadata.name ?? '').catch(() => null);
        if (st !== null) seen(st, key(r));
      }));
      if (pending.size === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(500, 10 + (Date.now() - started) / 4));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    for (const stop of stops) stop();
  }
}

/** The final state of each run and its TaskRuns. */
export async function collectOutcomes(base: FollowContext, runs: KubeObject[]): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const r of runs) {
    const ns = r.metadata.namespace ?? base.namespace;
    const name = r.metadata.name ?? '';
    const ref = r.kind === 'PipelineRun' ? KIND.PipelineRun : KIND.TaskRun;
    const run = (await base.client.tryGet<KubeObject>(ref, ns, name)) ?? r;
    if (r.kind !== 'PipelineRun') {
      out.push({ run, taskRuns: [] });
      continue;
    }
    const labelSelector = `tekton.dev/pipelineRun=${name}`;
    const taskRuns = (await base.client.list<TaskRun>(KIND.TaskRun, ns, { labelSelector })).items;
    const customRuns = (await base.client.list<CustomRun>(KIND.CustomRun, ns, { labelSelector })).items;
    const pipelineRuns = (await base.client.list<PipelineRun>(KIND.PipelineRun, ns, { labelSelector })).items;
    out.push({ run, taskRuns, others: [...pipelineRuns, ...customRuns] });
  }
  return out;
}

async function startProgress(input: SessionInput): Promise<() => void> {
  const { footer, base, runs } = input;
  if (!footer) return () => undefined;
  const names = new Set(runs.map((r) => r.metadata.name ?? ''));
  const nss = [...new Set(runs.map((r) => r.metadata.namespace ?? base.namespace))];
  const trs = await Promise.all(nss.map((ns) => Watched.start<TaskRun>(base.client, KIND.TaskRun, ns, {})));
  const prs = await Promise.all(nss.map((ns) => Watched.start<PipelineRun>(base.client, KIND.PipelineRun, ns, {})));
  const mine = (tr: TaskRun): boolean => names.has(tr.metadata.labels?.['tekton.dev/pipelineRun'] ?? '') || names.has(tr.metadata.name ?? '');
  const redraw = (): void => footer.update(progressLine(trs.flatMap((w) => w.all()).filter(mine), prs.flatMap((w) => w.all()).filter((p) => names.has(p.metadata.name ?? ''))));
  for (const w of trs) w.onChange(redraw);
  for (const w of prs) w.onChange(redraw);
  return () => {
    for (const w of [...trs, ...prs]) w.stop();
    footer.clear();
  };
}

/** Follows every run to its end (or until abandoned after cancellation) and answers their final state. */
export async function followRuns(input: SessionInput): Promise<SessionResult> {
  const { base, runs, ctx } = input;
  let stopped: SessionResult['stopped'];
  let abandon: () => void = () => undefined;
  const abandoned = new Promise<void>((resolve) => (abandon = resolve));
  // the followers stop at once when the runs are cancelled: thousands of them (a wide pipeline) would otherwise load
  // this process (which also runs the cluster in embedded mode) while the cancellation goes on; the summary reports
  const following = new AbortController();
  // every follower (a pod's watch, a container's log stream) listens on it while it runs, thousands at once in a
  // wide pipeline; each removes its listener when it ends, so the count is the followers in flight, not a leak
  setMaxListeners(0, following.signal);
  const stop = (why: 'timeout' | 'interrupt'): void => {
    if (stopped) return abandon();
    stopped = why;
    following.abort();
    base.printer.error(why === 'timeout' ? `timed out after ${input.timeout?.text ?? ''}: cancelling the runs` : 'interrupted: cancelling the runs (Ctrl-C again to stop waiting)');
    // the runs end as soon as they are cancelled; their TaskRuns may take longer to stop (thousands in a wide
    // pipeline): stop following once every run is done, without waiting for each child's end
    void cancelAll(base, runs).then(() => runsDone(base, runs)).then(abandon, () => undefined);
    setTimeout(abandon, input.graceMs ?? 60_000).unref();
  };
  const timer = input.timeout ? setTimeout(() => stop('timeout'), input.timeout.ms) : undefined;
  const offSignal = ctx.io.onSignal(() => stop('interrupt'));
  const stopProgress = await startProgress(input);
  try {
    const followers = runs.map((r) => follow({ ...base, signal: following.signal }, r, runs.length > 1).catch((err: unknown) => base.printer.error(`cannot follow ${r.kind} ${r.metadata.name ?? ''}: ${err instanceof Error ? err.message : String(err)}`)));
    // stopped followers end before their runs: the runs' end (or the grace timer) is what is waited for then
    await Promise.race([Promise.all(followers).then(() => (stopped ? abandoned : undefined)), abandoned]);
  } finally {
    if (timer) clearTimeout(timer);
    offSignal();
    stopProgress();
  }
  return { outcomes: await collectOutcomes(base, runs), stopped };
}
