/**
 * Test harness for catalog Tasks and examples: embedded mode in-process (host runtime, memory store, real
 * controllers and kubelet), helpers to apply YAML, run a TaskRun or PipelineRun to its end, and read its results
 * and step logs. `hostRuntimeMissing()` names what is missing when the host runtime cannot run here.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, Pod, TaskRun } from '../../src/api/types.js';
import type { ControllerConfig } from '../../src/controller/config.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';

export { repoRoot };

const TASKRUN = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' };
const PIPELINERUN = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' };
const POD = { apiVersion: 'v1', kind: 'Pod' };

/** Why the host runtime cannot run here, or undefined when it can. */
export function hostRuntimeMissing(): string | undefined {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
  } catch {
    return 'bubblewrap (bwrap) cannot create a sandbox on this machine';
  }
  return undefined;
}

/** Whether a command is on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The documents of a YAML file of this repository. */
export function loadYaml(relPath: string): KubeObject[] {
  const text = readFileSync(join(repoRoot, relPath), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject | null).filter((o): o is KubeObject => !!o);
}

/** A finished run: its object, results by name, and every step's log. */
export interface Finished<T> {
  run: T;
  succeeded: boolean;
  reason: string;
  message: string;
  results: Record<string, string>;
  logs: string;
}

/** An embedded cluster for tests. */
export class Cluster {
  private constructor(readonly embedded: Embedded) {}

  /** `hostPorts`: this machine's loopback ports the steps may reach (local git servers, registries). */
  /** `allowPrivileged`: the node grants privileged containers (the catalog's buildah step is one). */
  static async start(opts: { eventListeners?: boolean; controllerConfig?: Partial<ControllerConfig>; hostPorts?: number[]; allowPrivileged?: boolean } = {}): Promise<Cluster> {
    return new Cluster(await startEmbedded({
      runtime: 'host', memory: true, eventListeners: opts.eventListeners ?? false, hostPorts: opts.hostPorts ?? [], allowPrivileged: opts.allowPrivileged === true,
      ...(opts.controllerConfig ? { controllerConfig: opts.controllerConfig } : {}),
    }));
  }

  get client() {
    return this.embedded.client;
  }

  /** Creates every object (namespace default unless set). */
  async apply(objects: KubeObject[]): Promise<KubeObject[]> {
    const out: KubeObject[] = [];
    for (const o of objects) out.push(await this.client.create({ ...o, metadata: { namespace: 'default', ...o.metadata } }));
    return out;
  }

  /**
   * A claim whose volume is the host directory `path` (as `tkt run -w ws=dir=PATH` binds it): the provisioned
   * directory of the claim is a symlink to `path`. Answers the claim name.
   */
  async hostDirClaim(path: string): Promise<string> {
    const host = resolve(path);
    mkdirSync(host, { recursive: true });
    const claim = `test-dir-${createHash('sha256').update(host).digest('hex').slice(0, 10)}`;
    const link = join(this.embedded.dataDir, 'pv', 'default', claim);
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(host, link, 'dir');
    await this.client.create({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: claim, namespace: 'default', annotations: { 'tektite.dev/host-path': host } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    }).catch((err: unknown) => { if (!String(err).includes('exists')) throw err; });
    return claim;
  }

  /** Creates a TaskRun and waits for its end. */
  async runTask(tr: KubeObject, timeoutMs = 180_000): Promise<Finished<TaskRun>> {
    const created = await this.client.create({ ...tr, apiVersion: tr.apiVersion || 'tekton.dev/v1', kind: 'TaskRun', metadata: { namespace: 'default', ...tr.metadata } });
    const run = await this.waitDone<TaskRun>(TASKRUN, created.metadata.name ?? '', timeoutMs);
    return this.finished(run, [run]);
  }

  /** Creates a PipelineRun and waits for its end; logs of all its TaskRuns. */
  async runPipeline(pr: KubeObject, timeoutMs = 300_000): Promise<Finished<KubeObject>> {
    const created = await this.client.create({ ...pr, apiVersion: pr.apiVersion || 'tekton.dev/v1', kind: 'PipelineRun', metadata: { namespace: 'default', ...pr.metadata } });
    const name = created.metadata.name ?? '';
    const run = await this.waitDone<KubeObject>(PIPELINERUN, name, timeoutMs);
    const trs = (await this.client.list<TaskRun>(TASKRUN, 'default', { labelSelector: `tekton.dev/pipelineRun=${name}` })).items;
    return this.finished(run, trs);
  }

  /** Waits until a run has a final Succeeded condition. */
  async waitDone<T extends KubeObject>(ref: { apiVersion: string; kind: string }, name: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const obj = await this.client.get<T>(ref, 'default', name);
      const c = conditionOf(obj);
      if (c && c.status !== 'Unknown' && (obj as { status?: { completionTime?: string } }).status?.completionTime) return obj;
      if (Date.now() > deadline) throw new Error(`${ref.kind} ${name} did not finish: ${JSON.stringify((obj as { status?: unknown }).status)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  private async finished<T extends KubeObject>(run: T, taskRuns: TaskRun[]): Promise<Finished<T>> {
    const c = conditionOf(run);
    const results: Record<string, string> = {};
    const st = (run as { status?: { results?: Array<{ name: string; value: unknown }> } }).status;
    for (const r of st?.results ?? []) results[r.name] = typeof r.value === 'string' ? r.value : JSON.stringify(r.value);
    let logs = '';
    for (const tr of taskRuns) logs += await this.podLogs(tr);
    return { run, succeeded: c?.status === 'True', reason: c?.reason ?? '', message: c?.message ?? '', results, logs };
  }

  /** Every container log of a TaskRun's pod, each line prefixed with `[taskrun/container]`. */
  async podLogs(tr: TaskRun): Promise<string> {
    const podName = tr.status?.podName;
    if (!podName) return '';
    const pod = await this.client.tryGet<Pod>(POD, 'default', podName);
    let out = '';
    for (const c of pod?.spec.containers ?? []) {
      const text = await this.client.podLog('default', podName, { container: c.name }).catch(() => '');
      out += text.split('\n').filter(Boolean).map((l) => `[${tr.metadata.name ?? ''}/${c.name}] ${l}\n`).join('');
    }
    return out;
  }

  async stop(): Promise<void> {
    await this.embedded.stop();
  }
}

function conditionOf(obj: KubeObject): { status: string; reason?: string; message?: string } | undefined {
  const conds = (obj as { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } }).status?.conditions;
  return conds?.find((x) => x.type === 'Succeeded');
}

/** A message for a failed expectation: the run's reason, message and logs. */
export function explain(f: Finished<unknown>): string {
  return `${f.reason}: ${f.message}\n${f.logs}`;
}
