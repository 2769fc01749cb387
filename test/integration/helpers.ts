/**
 * Helpers of the integration tests: embedded mode started in-process (real API server over HTTPS, real
 * controllers, real kubelet with bubblewrap pods), YAML applied through the real client, and waits that poll
 * the API server every 50 ms until a condition holds (a deadline only bounds how long a test may wait).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseManifests } from '../../src/api/load.js';
import type { Condition, KubeObject, PipelineRun, Pod, TaskRun } from '../../src/api/types.js';
import { helperPath, startEmbedded, type Embedded } from '../../src/embedded/main.js';
import type { KindRef, KubeClient } from '../../src/kube/client.js';
import { repoRoot } from '../helpers/conformance.js';

export const TASKRUN: KindRef = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
export const PIPELINERUN: KindRef = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
export const POD: KindRef = { apiVersion: 'v1', kind: 'Pod' };
export const PVC: KindRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
export const NS = 'default';

/** Builds the static step helper when it is missing (the kubelet mounts it into every container). */
export function ensureHelper(): void {
  if (existsSync(helperPath())) return;
  spawnSync('node', ['scripts/build-entrypoint.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(helperPath())) throw new Error(`the step helper is missing at ${helperPath()} (node scripts/build-entrypoint.mjs)`);
}

/** Starts embedded mode in-process: host runtime (bubblewrap), memory store, no EventListener sinks. */
export async function startWorld(): Promise<Embedded> {
  ensureHelper();
  return startEmbedded({ runtime: 'host', memory: true, eventListeners: false, controllers: true });
}

/** Creates every document of `yamlText` (namespace `default` unless given); answers the created objects. */
export async function applyYaml<T extends KubeObject = KubeObject>(client: KubeClient, yamlText: string): Promise<T[]> {
  const { objects, errors } = parseManifests(yamlText, 'test.yaml');
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const out: T[] = [];
  for (const obj of objects) {
    obj.metadata.namespace ??= NS;
    out.push(await client.create<T>(obj as T));
  }
  return out;
}

/** The `Succeeded` condition of a run. */
export function succeeded(obj: { status?: { conditions?: Condition[] } } | undefined): Condition | undefined {
  return obj?.status?.conditions?.find((c) => c.type === 'Succeeded');
}

/** True once the run's Succeeded condition is True or False and it has a completion time. */
export function isFinished(obj: { status?: { conditions?: Condition[]; completionTime?: string } } | undefined): boolean {
  const c = succeeded(obj);
  return !!c && c.status !== 'Unknown' && !!obj?.status?.completionTime;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 50 ms until it answers a truthy value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

type RunKind = 'TaskRun' | 'PipelineRun';
type RunOf<K extends RunKind> = K extends 'TaskRun' ? TaskRun : PipelineRun;

/**
 * Waits until the run is finished (or `until` holds) and answers the object. The error on timeout carries the
 * last status seen, so a failing test says where the run got stuck.
 */
export async function waitForRun<K extends RunKind>(client: KubeClient, kind: K, ns: string, name: string, opts: { timeoutMs?: number; until?: (run: RunOf<K>) => boolean } = {}): Promise<RunOf<K>> {
  const ref = kind === 'TaskRun' ? TASKRUN : PIPELINERUN;
  const until = opts.until ?? isFinished;
  let last: RunOf<K> | undefined;
  try {
    return await waitFor(`${kind} ${ns}/${name}`, async () => {
      last = await client.tryGet<RunOf<K>>(ref, ns, name);
      return last && until(last) ? last : undefined;
    }, opts.timeoutMs ?? 30_000);
  } catch (err) {
    throw new Error(`${String(err)}; last status: ${JSON.stringify(last?.status)}`);
  }
}

/** Objects of a kind in `ns` whose labels include every given label. */
export async function listByLabels<T extends KubeObject>(client: KubeClient, ref: KindRef, ns: string, labels: Record<string, string>): Promise<T[]> {
  const labelSelector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
  return (await client.list<T>(ref, ns, { labelSelector })).items;
}

/** The child TaskRuns of a PipelineRun (label `tekton.dev/pipelineRun`), by pipeline task name. */
export async function childTaskRuns(client: KubeClient, ns: string, pipelineRun: string): Promise<Map<string, TaskRun[]>> {
  const out = new Map<string, TaskRun[]>();
  for (const tr of await listByLabels<TaskRun>(client, TASKRUN, ns, { 'tekton.dev/pipelineRun': pipelineRun })) {
    const task = tr.metadata.labels?.['tekton.dev/pipelineTask'] ?? '';
    out.set(task, [...(out.get(task) ?? []), tr]);
  }
  return out;
}

/** The one child TaskRun of a pipeline task (throws when there is none or more than one). */
export async function childTaskRun(client: KubeClient, ns: string, pipelineRun: string, task: string): Promise<TaskRun> {
  const found = (await childTaskRuns(client, ns, pipelineRun)).get(task) ?? [];
  if (found.length !== 1) throw new Error(`expected one TaskRun for ${pipelineRun}/${task}, found ${found.length}`);
  return found[0]!;
}

/** The log of one container of a pod (kept after the pod is gone). */
export function logsOf(client: KubeClient, ns: string, pod: string, container: string): Promise<string> {
  return client.podLog(ns, pod, { container });
}

/** Answers a pod, or undefined when it does not exist (any more). */
export function podOf(client: KubeClient, ns: string, name: string): Promise<Pod | undefined> {
  return client.tryGet<Pod>(POD, ns, name);
}
