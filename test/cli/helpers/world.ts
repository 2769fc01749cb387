/**
 * A hand-driven PipelineRun world on the test API server: PipelineRun, TaskRuns and step pods created and
 * advanced by the test (no controller, no kubelet), with container output appended through the log store.
 */
import type { ContainerStatus, Pod, PipelineRun, TaskRun } from '../../../src/api/types.js';
import type { CliTestServer } from './server.js';

const NS = 'default';
const running = { type: 'Succeeded', status: 'Unknown' as const, reason: 'Running' };
const done = (ok: boolean, message = '') => ({ type: 'Succeeded', status: ok ? 'True' as const : 'False' as const, reason: ok ? 'Succeeded' : 'Failed', message });
const t0 = '2026-03-01T11:59:00Z';

/** Drives one PipelineRun and its children by hand. */
export class World {
  private readonly pods = new Map<string, { steps: string[]; statuses: ContainerStatus[] }>();

  constructor(private readonly srv: CliTestServer, readonly pr: string, private readonly tasks: string[]) {}

  /** Creates the PipelineRun, running. */
  async start(): Promise<void> {
    const pr: PipelineRun = {
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: this.pr, namespace: NS },
      spec: { pipelineSpec: { tasks: this.tasks.map((t) => ({ name: t, taskSpec: { steps: [] } })) } },
    };
    await this.srv.client.create(pr);
    await this.srv.setStatus(pr, { conditions: [running], startTime: t0, pipelineSpec: pr.spec.pipelineSpec });
  }

  /** Creates a TaskRun for a pipeline task (podName set), and its pod with the given steps, all started. */
  async task(task: string, steps: string[], podName = `${this.pr}-${task}-pod`, trName = `${this.pr}-${task}`): Promise<string> {
    const tr: TaskRun = {
      apiVersion: 'tekton.dev/v1', kind: 'TaskRun',
      metadata: { name: trName, namespace: NS, labels: { 'tekton.dev/pipelineRun': this.pr, 'tekton.dev/pipelineTask': task } },
      spec: { taskSpec: { steps: steps.map((s) => ({ name: s, image: 'busybox' })) } },
    };
    await this.srv.client.create(tr);
    await this.pod(podName, steps);
    await this.srv.setStatus(tr, { conditions: [running], startTime: t0, podName });
    return trName;
  }

  /** Creates a step pod, Running, every step container started. */
  async pod(name: string, steps: string[]): Promise<void> {
    const statuses: ContainerStatus[] = steps.map((s) => ({ name: `step-${s}`, ready: true, restartCount: 0, state: { running: { startedAt: t0 } } }));
    this.pods.set(name, { steps, statuses });
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec: { containers: steps.map((s) => ({ name: `step-${s}`, image: 'busybox' })) } };
    await this.srv.client.create(pod);
    await this.srv.setStatus(pod, { phase: 'Running', containerStatuses: statuses });
  }

  /** Appends output of a step. */
  log(pod: string, step: string, text: string): void {
    this.srv.logs.append(NS, pod, `step-${step}`, text);
  }

  /** Ends a step: its log finished, its container terminated. */
  async endStep(pod: string, step: string, exitCode = 0): Promise<void> {
    this.srv.logs.finish(NS, pod, `step-${step}`);
    const p = this.pods.get(pod);
    const st = p?.statuses.find((s) => s.name === `step-${step}`);
    if (!p || !st) throw new Error(`no step ${step} in ${pod}`);
    st.state = { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: t0, finishedAt: t0 } };
    const all = p.statuses.every((s) => s.state?.terminated);
    const phase = all ? (p.statuses.some((s) => s.state?.terminated?.exitCode) ? 'Failed' : 'Succeeded') : 'Running';
    await this.srv.setStatus({ apiVersion: 'v1', kind: 'Pod', metadata: { name: pod, namespace: NS } }, { phase, containerStatuses: p.statuses });
  }

  /** Finishes a TaskRun. */
  async endTask(trName: string, ok = true, message = ''): Promise<void> {
    await this.srv.setStatus({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: trName, namespace: NS } }, { conditions: [done(ok, message)], completionTime: '2026-03-01T12:00:00Z' });
  }

  /** Finishes the PipelineRun. */
  async end(ok = true, message = ''): Promise<void> {
    await this.srv.setStatus({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: this.pr, namespace: NS } }, { conditions: [done(ok, message)], completionTime: '2026-03-01T12:00:00Z' });
  }
}
