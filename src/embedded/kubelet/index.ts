/**
 * The local kubelet of embedded mode: runs the Pods of the embedded API server on this machine and reports
 * their status and logs.
 *
 * Choices (details in the named files):
 * - restartPolicy is always treated as Never (Tekton pods use Never); containers are never restarted.
 * - Networking: host network in every runtime; the containers of a pod reach each other on localhost.
 * - Deletion (kubelet.ts): a DELETED event or a deletionTimestamp kills the pod's processes and removes its
 *   scratch dir; the kubelet issues no DELETE (our API server removes pods at once unless finalizers hold them).
 * - Restart on the same data dir (restart.ts): pods that were running are marked Failed, reason NodeRestarted.
 * - Watches (informer.ts) resume from the last resourceVersion after a clean end; 410 or errors relist.
 * - Sidecar stop (pod-runner.ts): a running container whose image is replaced is stopped and reported
 *   Completed (exit 0), which is how Tekton's controller stops sidecars.
 * - Status (status-writer.ts): merge patches of /status, one in flight per pod, latest state wins.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { KubeClient } from '../../kube/client.js';
import { eventRecorder, flushWithin, noEvents } from '../../kube/events.js';
import type { LogStore } from '../logs.js';
import { guardLogs } from './guard.js';
import { NodeAgent } from './kubelet.js';
import { LocalProvisioner } from './provisioner.js';
import { selectRuntime, type RuntimeChoice } from './runtimes/select.js';
import type { ExecProcess, ExecRequest, KubeletLogger } from './types.js';

export type { ContainerRuntime, ContainerLaunch, ContainerHandle, ExecProcess, ExecRequest, LogSink, Mount, PodIdentity } from './types.js';
export { selectRuntime, type RuntimeChoice } from './runtimes/select.js';

/** Options of {@link startKubelet}. */
export interface KubeletOptions {
  client: KubeClient;
  logs: LogStore;
  /** Pod scratch dirs go to `<dataDir>/pods/<uid>`, provisioned volumes to `<dataDir>/pv/<ns>/<claim>`. */
  dataDir: string;
  runtime: RuntimeChoice;
  /** The built step helper, bound read-only at /tektite/entrypoint in every container. */
  helperPath: string;
  /** Default `tektite`. Pods whose spec.nodeName names another node are left alone. */
  nodeName?: string;
  /** Default: warnings to stderr. */
  log?: KubeletLogger;
  /** Write Kubernetes Events about pods, as a kubelet and the scheduler do (default true). */
  events?: boolean;
  /** Grant privileged containers, host namespaces, hostPath volumes and extra capabilities (default false). */
  allowPrivileged?: boolean;
  /** Host loopback TCP ports that host-runtime pods may reach (`--host-port`); none by default. */
  hostPorts?: number[];
}

/** A running kubelet. */
export interface Kubelet {
  /** The runtime in use: `host`, `podman`, `docker` or `noop` (what `auto` chose). */
  runtime: string;
  /** Stops watching and kills running pods' processes (their status stays as last written). */
  /** Stops; Events still queued are written for up to `flushMs` (default 2 s), then dropped. */
  stop(flushMs?: number): Promise<void>;
  /** Starts a command in a running container (pods/exec; the API server's PodConnector). */
  exec(namespace: string, pod: string, container: string, req: ExecRequest): ExecProcess;
}

const stderrLogger: KubeletLogger = { warn: (msg) => process.stderr.write(`${msg}\n`) };

/** Starts the kubelet; resolves once Pods and PersistentVolumeClaims have been listed and acted on. */
export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const log = opts.log ?? stderrLogger;
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.join(dataDir, 'pods'), { recursive: true });
  const runtime = await selectRuntime(opts.runtime, { log, hostPorts: opts.hostPorts ?? [] });
  const provisioner = new LocalProvisioner(opts.client, dataDir, log);
  const nodeName = opts.nodeName ?? 'tektite';
  const recorder = (component: string, host?: string) => (opts.events === false ? noEvents : eventRecorder((e) => opts.client.create(e), { component, ...(host ? { host } : {}) }));
  const events = recorder('kubelet', nodeName);
  const scheduler = recorder('default-scheduler');
  const agent = new NodeAgent({
    client: opts.client,
    logs: guardLogs(opts.logs, log),
    runtime,
    dataDir,
    helperPath: path.resolve(opts.helperPath),
    nodeName,
    log,
    events,
    scheduler,
    claimDir: (ns, claim) => provisioner.claimDir(ns, claim),
    allowPrivileged: opts.allowPrivileged === true,
  }, provisioner);
  await agent.start();
  return {
    runtime: runtime.name,
    exec: (ns, pod, container, req) => agent.exec(ns, pod, container, req),
    async stop(flushMs = 2000) {
      await agent.stop();
      await Promise.all([flushWithin(events, flushMs), flushWithin(scheduler, flushMs)]);
    },
  };
}
