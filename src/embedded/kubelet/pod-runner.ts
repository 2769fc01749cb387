/**
 * The life of one pod on this node: volumes, init containers in order, then all containers together, the
 * activeDeadlineSeconds timer, deletion, and the status written along the way.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Pod } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import type { EventRecorder } from '../../kube/events.js';
import { runContainer, type ContainerRunContext } from './container-run.js';
import { writePullAuth } from './pull-secrets.js';
import { podEvents, type PodEvents } from './pod-events.js';
import { ConfigError, SourceCache } from './sources.js';
import { PodStatusModel } from './status.js';
import { privilegeRefusal } from './privileges.js';
import { podPorts } from './probes.js';
import { StatusWriter } from './status-writer.js';
import type { ContainerHandle, ContainerRuntime, ExecProcess, ExecRequest, KubeletLogger, LogSink, PodIdentity } from './types.js';
import { prepareVolumes, refreshDownward, UnsupportedVolumeError, type PreparedVolume, type VolumeContext } from './volumes.js';

/** What every pod runner shares. */
export interface PodRunnerDeps {
  client: KubeClient;
  logs: LogSink;
  runtime: ContainerRuntime;
  dataDir: string;
  helperPath: string;
  nodeName: string;
  log: KubeletLogger;
  /** The kubelet's Events (source kubelet on this node). */
  events: EventRecorder;
  claimDir(namespace: string, claim: string): Promise<string>;
  /** Grant privileged containers, host namespaces, hostPath volumes and extra capabilities (privileges.ts). */
  allowPrivileged?: boolean;
}

/** Why a pod is being torn down. */
export type StopReason = 'deleted' | 'shutdown' | 'deadline';

/** The scratch directory of a pod. */
export function podDir(dataDir: string, uid: string): string {
  return path.join(dataDir, 'pods', uid);
}

/** Runs one pod; `done` resolves when it has finished (or was stopped) and its resources are released. */
export class PodRunner {
  readonly id: PodIdentity;
  readonly model: PodStatusModel;
  readonly done: Promise<void>;
  private pod: Pod;
  private stopping?: StopReason;
  private readonly handles = new Map<string, ContainerHandle>();
  /** Containers stopped because their image was replaced (Tekton's sidecar stop). */
  private readonly replaced = new Set<string>();
  private readonly writer: StatusWriter;
  private readonly sources: SourceCache;
  private volumes = new Map<string, PreparedVolume>();
  private deadline?: NodeJS.Timeout;
  private refreshing: Promise<void> = Promise.resolve();
  private readonly events: PodEvents;

  constructor(pod: Pod, private readonly deps: PodRunnerDeps) {
    this.pod = pod;
    const md = pod.metadata;
    this.id = {
      namespace: md.namespace ?? 'default', name: md.name ?? '', uid: md.uid ?? md.name ?? '', dir: podDir(deps.dataDir, md.uid ?? md.name ?? ''),
      ports: podPorts([...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]),
    };
    this.model = new PodStatusModel(pod.spec);
    this.sources = new SourceCache(deps.client, this.id.namespace);
    this.events = podEvents(deps.events, () => this.pod);
    this.writer = new StatusWriter(deps.client, this.id.namespace, this.id.name, () => this.model.render(), deps.log);
    this.done = this.run().catch((err: unknown) => {
      deps.log.warn(`kubelet: pod ${this.key}: ${(err as Error).stack ?? String(err)}`);
    });
  }

  /** `namespace/name`. */
  get key(): string {
    return `${this.id.namespace}/${this.id.name}`;
  }

  /** True when the pod has reached Succeeded or Failed here. */
  get finished(): boolean {
    return this.model.finished();
  }

  /** A newer version of the pod from the API: refreshes downward API files, stops containers whose image changed. */
  update(pod: Pod): void {
    const old = this.pod;
    this.pod = pod;
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    const annChanged = JSON.stringify(old.metadata.annotations ?? {}) !== JSON.stringify(pod.metadata.annotations ?? {});
    if ((labelsChanged || annChanged) && this.volumes.size) {
      this.refreshing = this.refreshing.then(() => refreshDownward(this.volumeContext(), this.volumes))
        .catch((err: unknown) => this.deps.log.warn(`kubelet: pod ${this.key}: downward API refresh: ${(err as Error).message}`));
    }
    this.stopReplacedContainers(old, pod);
  }

  /**
   * A container whose image was replaced while it runs is stopped and reported as Completed (exit 0): this is how
   * Tekton stops sidecars (it swaps in a no-op image that exits at once).
   */
  private stopReplacedContainers(old: Pod, pod: Pod): void {
    for (const c of pod.spec.containers) {
      const before = old.spec.containers.find((o) => o.name === c.name);
      const h = this.handles.get(c.name);
      if (!before || !h || before.image === c.image) continue;
      const rec = this.model.record(c.name, false);
      if (rec) rec.image = c.image ?? '';
      this.replaced.add(c.name);
      this.events.container(c.name, false, 'Normal', 'Killing', `Stopping container ${c.name}`);
      void h.kill();
    }
  }

  /** Starts a command in the running container `name` (pods/exec); throws with the kubelet's message otherwise. */
  exec(name: string, req: ExecRequest): ExecProcess {
    const h = this.handles.get(name);
    if (!h || this.stopping) throw new Error(`container not found ("${name}"): it is not running`);
    if (!h.stream) throw new Error(`the ${this.deps.runtime.name} runtime cannot run commands in containers`);
    return h.stream(req);
  }

  /** Tears the pod down: kills its processes; `deadline` also fails it with DeadlineExceeded. */
  async stop(reason: StopReason): Promise<void> {
    if (!this.stopping || reason !== 'deadline') this.stopping = reason;
    if (reason === 'deadline') {
      this.model.failure = { reason: 'DeadlineExceeded', message: `Pod was active on the node longer than the specified deadline` };
      this.writer.markDirty(true);
    } else {
      this.writer.close();
    }
    if (reason !== 'shutdown') {
      for (const name of this.handles.keys()) this.events.container(name, !this.pod.spec.containers.some((c) => c.name === name), 'Normal', 'Killing', `Stopping container ${name}`);
    }
    await Promise.all([...this.handles.values()].map((h) => h.kill()));
    await this.done;
  }

  private volumeContext(): VolumeContext {
    return {
      pod: this.pod, podDir: this.id.dir, nodeName: this.deps.nodeName, sources: this.sources,
      claimDir: (ns, c) => this.deps.claimDir(ns, c), hostFiles: this.hostFiles,
    };
  }

  private containerContext(): ContainerRunContext {
    const d = this.deps;
    return {
      pod: () => this.pod,
      id: this.id, runtime: d.runtime, logs: d.logs, log: d.log, sources: this.sources,
      volumes: this.volumes, helperPath: d.helperPath, nodeName: d.nodeName, events: this.events,
      changed: (prompt) => this.writer.markDirty(prompt === true || this.model.finished()),
      aborted: () => this.stopping !== undefined,
      track: (name, h) => (h ? this.handles.set(name, h) : this.handles.delete(name)),
      replaced: (name) => this.replaced.has(name),
    };
  }

  private async run(): Promise<void> {
    // the pod directory marks the pod as started here (see NodeAgent.seen); `term` holds termination messages. A
    // runtime that reads no host files (noop) gets none: creating and removing it was most of such a pod's cost
    void this.deps.logs.open?.(this.id.namespace, this.id.name);
    if (this.hostFiles) await mkdir(path.join(this.id.dir, 'term'), { recursive: true });
    this.writer.markDirty();
    this.armDeadline();
    try {
      if (await this.prepare()) await this.runContainers();
    } finally {
      if (this.deadline) clearTimeout(this.deadline);
      await this.finish();
    }
  }

  private armDeadline(): void {
    const secs = this.pod.spec.activeDeadlineSeconds;
    if (secs === undefined || secs <= 0) return;
    this.deadline = setTimeout(() => void this.stop('deadline'), secs * 1000);
  }

  /** Volumes and the runtime's pod; false when the pod cannot run (failure recorded) or was stopped. */
  private async prepare(): Promise<boolean> {
    const refused = privilegeRefusal(this.pod, this.deps.allowPrivileged === true);
    if (refused) {
      this.model.failure = { reason: 'Forbidden', message: refused };
      return false;
    }
    for (;;) {
      if (this.stopping) return false;
      try {
        const used = this.pod;
        this.volumes = await prepareVolumes(this.volumeContext());
        // annotations that changed meanwhile (tekton.dev/ready) must reach the downward files
        if (this.pod !== used) await refreshDownward(this.volumeContext(), this.volumes);
        break;
      } catch (err) {
        if (err instanceof UnsupportedVolumeError) {
          this.model.failure = { reason: 'UnsupportedVolume', message: err.message };
          return false;
        }
        if (!(err instanceof ConfigError)) throw err;
        this.setWaiting('ContainerCreating', `MountVolume.SetUp failed: ${err.message}`);
        await new Promise((r) => setTimeout(r, 1000));
        this.sources.clear();
      }
    }
    if (this.deps.runtime.name === 'podman' || this.deps.runtime.name === 'docker') {
      const file = await writePullAuth(this.deps.client, this.sources, this.pod, this.id.dir);
      if (file) this.id.pullAuthFile = file;
    }
    await this.deps.runtime.preparePod(this.id);
    return !this.stopping;
  }

  private setWaiting(reason: string, message: string): void {
    for (const r of [...this.model.init, ...this.model.main]) {
      if (r.state.waiting && r.state.waiting.message !== message) r.state = { waiting: { reason, message } };
    }
    this.writer.markDirty(true);
  }

  private async runContainers(): Promise<void> {
    const ctx = this.containerContext();
    for (const c of this.pod.spec.initContainers ?? []) {
      const rec = this.model.record(c.name, true);
      if (!rec) continue;
      const code = await runContainer(ctx, c, rec);
      if (code === undefined) return;
      if (code !== 0) {
        this.model.failure ??= { message: `init container ${c.name} exited with code ${code}` };
        return;
      }
    }
    this.model.initDone = true;
    for (const r of this.model.main) if (r.state.waiting) r.state = { waiting: { reason: 'ContainerCreating' } };
    this.writer.markDirty();
    await Promise.all(this.pod.spec.containers.map(async (c) => {
      const rec = this.model.record(c.name, false);
      if (rec) await runContainer(ctx, c, rec);
    }));
  }

  private async finish(): Promise<void> {
    await this.refreshing;
    if (this.stopping === 'shutdown') {
      // the pod dir stays (a restart on this data dir reports the pod NodeRestarted), but nothing of the pod keeps
      // running after the kubelet: the host runtime's network holder and pasta, an engine's containers
      await this.deps.runtime.cleanupPod(this.id);
      return;
    }
    for (const r of [...this.model.init, ...this.model.main]) {
      if (!r.state.terminated) void this.deps.logs.finish(this.id.namespace, this.id.name, r.name);
    }
    if (this.stopping !== 'deleted') {
      this.writer.markDirty(true);
      await this.writer.flush();
    }
    await this.deps.runtime.cleanupPod(this.id);
    if (this.hostFiles) await rm(this.id.dir, { recursive: true, force: true });
  }

  /** False for a runtime that reads no host files (noop): no pod directory, volumes or termination files. */
  private get hostFiles(): boolean {
    return this.deps.runtime.usesHostFiles !== false;
  }
}
