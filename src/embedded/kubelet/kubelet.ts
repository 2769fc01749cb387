/**
 * The node agent: follows Pods (all namespaces) and PersistentVolumeClaims, starts a PodRunner for each pod that
 * is neither finished nor already running here, and tears pods down when they are deleted.
 *
 * Deletion: our API server removes a pod at once unless it has finalizers, so the kubelet gets either a DELETED
 * event or a MODIFIED event with deletionTimestamp (finalizers pending). Both kill the pod's processes and
 * remove its scratch directories; the kubelet never issues a DELETE itself (the API server completes the
 * deletion when the finalizers are gone).
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { KubeObject, PersistentVolumeClaim, Pod } from '../../api/types.js';
import type { EventRecorder } from '../../kube/events.js';
import { quietly } from './guard.js';
import { startInformer, type Informer } from './informer.js';
import { PodRunner, podDir, type PodRunnerDeps } from './pod-runner.js';
import type { LocalProvisioner } from './provisioner.js';
import { restartedStatus } from './restart.js';
import type { ExecProcess, ExecRequest, PodIdentity } from './types.js';

type Claim = PersistentVolumeClaim & KubeObject;
const POD = { apiVersion: 'v1', kind: 'Pod' };
const PVC = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };

/** The running kubelet behind startKubelet. */
export class NodeAgent {
  private readonly runners = new Map<string, PodRunner>();
  /** Pods finished here or found terminal: never run again. */
  private readonly settled = new Set<string>();
  private readonly informers: Informer[] = [];
  private stopped = false;
  /**
   * Pod directories found at the last list that no runner of this kubelet made: pods that were running when an
   * earlier kubelet on this data dir stopped (a runner's directory goes before its pod is settled, so after the
   * list no other directory can be found; looking this up costs no stat(2) per pod event).
   */
  private leftover = new Set<string>();

  constructor(private readonly deps: PodRunnerDeps & { scheduler: EventRecorder }, private readonly provisioner: LocalProvisioner) {}

  /** Starts both informers; resolves once pods and claims have been listed. */
  async start(): Promise<void> {
    const { client, log } = this.deps;
    this.informers.push(startInformer<Claim>({
      client, log, ref: PVC,
      onSync: (items) => this.provisioner.sync(items),
      onEvent: (type, pvc) => {
        if (type === 'DELETED') quietly(() => this.provisioner.release(pvc), log, `release claim ${pvc.metadata.name ?? ''}`);
        else if (!pvc.metadata.deletionTimestamp) this.provisioner.bindQuietly(pvc);
      },
    }));
    this.informers.push(startInformer<Pod>({
      client, log, ref: POD,
      onSync: (items) => this.sync(items),
      onEvent: (type, pod) => (type === 'DELETED' ? this.deleted(pod) : this.seen(pod)),
    }));
    await Promise.all(this.informers.map((i) => i.synced));
  }

  /** Stops watching and kills every running pod's processes (their status stays as last written). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const i of this.informers) i.stop();
    await Promise.all([...this.runners.values()].map((r) => r.stop('shutdown')));
  }

  /** Starts a command in a running container of a pod running here (pods/exec); throws with the answer otherwise. */
  exec(namespace: string, pod: string, container: string, req: ExecRequest): ExecProcess {
    const runner = [...this.runners.values()].find((r) => r.id.namespace === namespace && r.id.name === pod);
    if (!runner) throw new Error(`pod ${namespace}/${pod} is not running on node ${this.deps.nodeName}`);
    return runner.exec(container, req);
  }

  private async sync(items: Pod[]): Promise<void> {
    const live = new Set(items.map((p) => p.metadata.uid ?? ''));
    const root = path.join(this.deps.dataDir, 'pods');
    const dirs = await readdir(root).catch(() => [] as string[]);
    this.leftover = new Set(dirs.filter((uid) => !this.runners.has(uid)));
    for (const [uid, r] of this.runners) if (!live.has(uid)) void r.stop('deleted');
    for (const uid of this.settled) if (!live.has(uid)) this.settled.delete(uid);
    for (const p of items) this.seen(p);
    for (const uid of dirs) {
      if (live.has(uid) || this.runners.has(uid)) continue;
      this.leftover.delete(uid);
      await rm(path.join(root, uid), { recursive: true, force: true });
    }
  }

  private mine(pod: Pod): boolean {
    const node = pod.spec?.nodeName as string | undefined;
    return !node || node === this.deps.nodeName;
  }

  private seen(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    if (this.stopped || !uid || !this.mine(pod)) return;
    const runner = this.runners.get(uid);
    if (pod.metadata.deletionTimestamp) {
      if (runner) void runner.stop('deleted');
      else quietly(() => this.cleanup(pod), this.deps.log, `clean up pod ${pod.metadata.name ?? ''}`);
      this.settled.add(uid);
      return;
    }
    if (runner) return runner.update(pod);
    if (this.settled.has(uid)) return;
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') {
      this.settled.add(uid);
      quietly(() => this.cleanup(pod), this.deps.log, `clean up pod ${pod.metadata.name ?? ''}`);
      return;
    }
    if (this.leftover.has(uid)) {
      this.settled.add(uid);
      void this.markRestarted(pod);
      return;
    }
    this.run(pod, uid);
  }

  private run(pod: Pod, uid: string): void {
    const { scheduler, nodeName } = this.deps;
    const ref = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? 'default', uid };
    scheduler.event(ref, 'Normal', 'Scheduled', `Successfully assigned ${ref.namespace}/${ref.name} to ${nodeName}`);
    const r = new PodRunner(pod, this.deps);
    this.runners.set(uid, r);
    void r.done.then(() => {
      this.runners.delete(uid);
      this.settled.add(uid);
    });
  }

  private deleted(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const runner = this.runners.get(uid);
    this.settled.delete(uid);
    if (runner) void runner.stop('deleted');
    else quietly(() => this.cleanup(pod), this.deps.log, `clean up pod ${pod.metadata.name ?? ''}`);
  }

  private identity(pod: Pod): PodIdentity {
    const uid = pod.metadata.uid ?? '';
    return { namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', uid, dir: podDir(this.deps.dataDir, uid) };
  }

  private async cleanup(pod: Pod): Promise<void> {
    const id = this.identity(pod);
    this.leftover.delete(id.uid);
    if (!existsSync(id.dir)) return;
    await this.deps.runtime.cleanupPod(id);
    await rm(id.dir, { recursive: true, force: true });
  }

  private async markRestarted(pod: Pod): Promise<void> {
    const id = this.identity(pod);
    this.deps.log.warn(`kubelet: pod ${id.namespace}/${id.name} was running when the kubelet stopped: marking it Failed (NodeRestarted)`);
    try {
      await this.deps.runtime.cleanupPod(id);
      await this.deps.client.patch(POD, id.namespace, id.name, { status: restartedStatus(pod) }, { status: true });
      await rm(id.dir, { recursive: true, force: true });
      this.leftover.delete(id.uid);
    } catch (err) {
      this.settled.delete(id.uid);
      this.deps.log.warn(`kubelet: pod ${id.namespace}/${id.name}: ${(err as Error).message} (retried on its next event)`);
    }
  }
}
