/**
 * Prometheus metrics about runs under Tekton's names (tekton_pipelines_controller_*): durations as histograms,
 * totals as counters, running runs as gauges. Fed by its own informers on PipelineRuns and TaskRuns, not by the
 * reconcilers: a run is counted once, when it is first seen finished with a completion time after these metrics
 * started (so a restarted or newly elected controller does not count old runs again). Runs whose spec.managedBy
 * names another controller are not counted, as they are not reconciled here.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isManagedByUs } from '../config.js';
import { Informer } from '../runtime/informer.js';

/** Tekton's metric name prefix. */
export const METRIC_PREFIX = 'tekton_pipelines_controller_';

/** Tekton's duration buckets (seconds): 10s … 1d. */
export const DURATION_BUCKETS = [10, 30, 60, 300, 900, 1800, 3600, 5400, 10800, 21600, 43200, 86400];

type Run = PipelineRun | TaskRun;

/** The metric objects, registered on one registry. */
export interface RunMetricSet {
  pipelineRunDuration: Histogram<'namespace' | 'pipeline' | 'status'>;
  pipelineRunTaskRunDuration: Histogram<'namespace' | 'pipeline' | 'task' | 'status'>;
  taskRunDuration: Histogram<'namespace' | 'task' | 'status'>;
  pipelineRunTotal: Counter<'status'>;
  taskRunTotal: Counter<'status'>;
  runningPipelineRuns: Gauge;
  runningTaskRuns: Gauge;
}

/** Creates the metrics on `registry`; `running` supplies the live gauge values at scrape time. */
export function createRunMetricSet(registry: Registry, running: { pipelineRuns: () => number; taskRuns: () => number }): RunMetricSet {
  const reg = { registers: [registry] };
  const p = METRIC_PREFIX;
  return {
    pipelineRunDuration: new Histogram({ name: `${p}pipelinerun_duration_seconds`, help: 'The pipelinerun execution time in seconds', labelNames: ['namespace', 'pipeline', 'status'], buckets: DURATION_BUCKETS, ...reg }),
    pipelineRunTaskRunDuration: new Histogram({ name: `${p}pipelinerun_taskrun_duration_seconds`, help: 'The pipelinerun\'s taskrun execution time in seconds', labelNames: ['namespace', 'pipeline', 'task', 'status'], buckets: DURATION_BUCKETS, ...reg }),
    taskRunDuration: new Histogram({ name: `${p}taskrun_duration_seconds`, help: 'The taskrun\'s execution time in seconds', labelNames: ['namespace', 'task', 'status'], buckets: DURATION_BUCKETS, ...reg }),
    pipelineRunTotal: new Counter({ name: `${p}pipelinerun_total`, help: 'Number of pipelineruns', labelNames: ['status'], ...reg }),
    taskRunTotal: new Counter({ name: `${p}taskrun_total`, help: 'Number of taskruns', labelNames: ['status'], ...reg }),
    runningPipelineRuns: new Gauge({ name: `${p}running_pipelineruns`, help: 'Number of pipelineruns executing currently', ...reg, collect() { this.set(running.pipelineRuns()); } }),
    runningTaskRuns: new Gauge({ name: `${p}running_taskruns`, help: 'Number of taskruns executing currently', ...reg, collect() { this.set(running.taskRuns()); } }),
  };
}

/** Tekton's status label of a finished run: success, cancelled or failed; undefined while running. */
export function runStatusLabel(run: Run): 'success' | 'failed' | 'cancelled' | undefined {
  const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
  if (!c || c.status === 'Unknown') return undefined;
  if (c.status === 'True') return 'success';
  return /Cancelled/.test(c.reason ?? '') ? 'cancelled' : 'failed';
}

/** Seconds from start (or creation) to completion; undefined when not complete. */
export function runDurationSeconds(run: Run): number | undefined {
  const end = run.status?.completionTime;
  const start = run.status?.startTime ?? run.metadata.creationTimestamp;
  if (!end || !start) return undefined;
  return Math.max(0, (Date.parse(end) - Date.parse(start)) / 1000);
}

/** Options of {@link RunMetrics.watch}. */
export interface WatchRunsOptions {
  client: KubeClient;
  /** Restrict to one namespace (default: all). */
  namespace?: string;
  /** Clock (for "completed after start"). */
  now?: () => Date;
}

/** How many finished runs are remembered as counted. */
const COUNTED_MEMORY = 20_000;

const isRunning = (r: Run): boolean => isManagedByUs(r.spec.managedBy) && runStatusLabel(r) === undefined;
const label = (r: KubeObject, key: string): string => r.metadata.labels?.[key] ?? 'anonymous';
const uidOf = (r: Run): string => r.metadata.uid ?? `${r.metadata.namespace}/${r.metadata.name}`;

/**
 * Run metrics on one registry. {@link RunMetrics.watch} starts informers that feed them (the controller process
 * does so while it leads); after the returned stop() the gauges read 0 and the counters keep their values.
 */
export class RunMetrics {
  readonly metrics: RunMetricSet;
  private source?: { prs: Informer<PipelineRun>; trs: Informer<TaskRun> };
  private readonly counted = new Set<string>();

  constructor(readonly registry: Registry) {
    this.metrics = createRunMetricSet(registry, {
      pipelineRuns: () => this.source?.prs.list(isRunning).length ?? 0,
      taskRuns: () => this.source?.trs.list(isRunning).length ?? 0,
    });
  }

  /** Watches runs and records them; resolves once both caches are synced. */
  async watch(opts: WatchRunsOptions): Promise<{ stop(): void }> {
    const since = (opts.now ?? (() => new Date()))().getTime();
    // the gauges count running runs and the counters hear of each finish: finished runs need not stay cached
    const retain = (r: Run): boolean => runStatusLabel(r) === undefined;
    const prs = new Informer<PipelineRun>(opts.client, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, { namespace: opts.namespace, retain });
    const trs = new Informer<TaskRun>(opts.client, { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }, { namespace: opts.namespace, retain });
    const onPr = (pr: PipelineRun): void => this.once(pr, since, (status, s) => this.recordPipelineRun(pr, status, s));
    const onTr = (tr: TaskRun): void => this.once(tr, since, (status, s) => this.recordTaskRun(tr, status, s));
    const forget = (r: Run): void => { this.counted.delete(uidOf(r)); };
    prs.addHandlers({ onAdd: onPr, onUpdate: onPr, onDelete: forget });
    trs.addHandlers({ onAdd: onTr, onUpdate: onTr, onDelete: forget });
    await Promise.all([prs.start(), trs.start()]);
    const source = { prs, trs };
    this.source = source;
    return {
      stop: () => {
        prs.stop();
        trs.stop();
        if (this.source === source) this.source = undefined;
      },
    };
  }

  private once(run: Run, since: number, record: (status: string, seconds: number) => void): void {
    if (!isManagedByUs(run.spec.managedBy)) return;
    const status = runStatusLabel(run);
    const seconds = runDurationSeconds(run);
    if (!status || seconds === undefined || this.counted.has(uidOf(run))) return;
    if (Date.parse(run.status?.completionTime ?? '') < since - 1000) return;
    this.counted.add(uidOf(run));
    // bounded: a run finished long ago is heard of again only on a relist, which may count it once more
    if (this.counted.size > COUNTED_MEMORY) this.counted.delete(this.counted.values().next().value as string);
    record(status, seconds);
  }

  private recordPipelineRun(pr: PipelineRun, status: string, seconds: number): void {
    this.metrics.pipelineRunTotal.inc({ status });
    this.metrics.pipelineRunDuration.observe({ namespace: pr.metadata.namespace ?? '', pipeline: label(pr, 'tekton.dev/pipeline'), status }, seconds);
  }

  private recordTaskRun(tr: TaskRun, status: string, seconds: number): void {
    this.metrics.taskRunTotal.inc({ status });
    const namespace = tr.metadata.namespace ?? '';
    const task = label(tr, 'tekton.dev/task');
    if (tr.metadata.labels?.['tekton.dev/pipelineRun']) {
      this.metrics.pipelineRunTaskRunDuration.observe({ namespace, pipeline: label(tr, 'tekton.dev/pipeline'), task, status }, seconds);
    } else {
      this.metrics.taskRunDuration.observe({ namespace, task, status }, seconds);
    }
  }
}
