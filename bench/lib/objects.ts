/**
 * The Tekton objects the control-plane benchmarks create, and a closed-loop driver that keeps a fixed number of
 * runs in flight.
 */
import type { KubeObject } from '../../src/api/types.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { Probe } from './probe.js';

export const NS = 'default';

/** A Task with `steps` steps; each runs `script(i)` (bash) in a busybox-like image. */
export function task(name: string, steps: number, script: (i: number) => string): KubeObject {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name, namespace: NS },
    spec: { steps: Array.from({ length: steps }, (_, i) => ({ name: `s${i + 1}`, image: 'docker.io/library/bash:5.2', script: script(i) })) },
  } as KubeObject;
}

/** Pipeline task names t1..tN. */
export function taskNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `t${i + 1}`);
}

/**
 * A Pipeline of `n` tasks referencing `taskName`. `chain`: t1 → t2 → … → tn (runAfter). `dag`: t1 → (t2..t(n-1)
 * in parallel) → tn.
 */
export function pipeline(name: string, taskName: string, n: number, shape: 'chain' | 'dag'): KubeObject {
  const names = taskNames(n);
  const tasks = names.map((t, i) => {
    let after: string[] = [];
    if (shape === 'chain') after = i === 0 ? [] : [names[i - 1] ?? ''];
    else if (i === n - 1) after = names.slice(1, n - 1);
    else if (i > 0) after = ['t1'];
    return { name: t, taskRef: { name: taskName }, ...(after.length ? { runAfter: after } : {}) };
  });
  return { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name, namespace: NS }, spec: { tasks } } as KubeObject;
}

/** A PipelineRun of a Pipeline. */
export function pipelineRun(name: string, pipelineName: string): KubeObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, namespace: NS }, spec: { pipelineRef: { name: pipelineName } } } as KubeObject;
}

/** A TaskRun of a Task. */
export function taskRun(name: string, taskName: string): KubeObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, namespace: NS }, spec: { taskRef: { name: taskName } } } as KubeObject;
}

/** Creates objects, ignoring AlreadyExists. */
export async function apply(client: KubeClient, objs: KubeObject[]): Promise<void> {
  for (const o of objs) await client.create(o).catch((err: unknown) => { if ((err as { code?: number }).code !== 409) throw err; });
}

/**
 * Creates runs `make(i)` for i in [0, n), keeping at most `inFlight` unfinished, and waits until every one is
 * terminal (by the probe). Answers the wall time in ms.
 */
export async function closedLoop(client: KubeClient, probe: Probe, kind: 'pipelinerun' | 'taskrun', n: number, inFlight: number, make: (i: number) => KubeObject): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, n) }, async () => {
    while (next < n) {
      const obj = make(next++);
      await client.create(obj);
      await probe.whenDone(kind, String(obj.metadata.name));
    }
  }));
  return performance.now() - t0;
}

/**
 * Creates runs `make(i)` for i in [0, n) at a fixed rate (open loop: arrivals do not wait for completions) and
 * waits until every one is terminal. Answers the wall time in ms.
 */
export async function openLoop(client: KubeClient, probe: Probe, kind: 'pipelinerun' | 'taskrun', n: number, perSecond: number, make: (i: number) => KubeObject): Promise<number> {
  const t0 = performance.now();
  const done: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const obj = make(i);
    done.push(client.create(obj).then(() => probe.whenDone(kind, String(obj.metadata.name))));
  }
  await Promise.all(done);
  return performance.now() - t0;
}
