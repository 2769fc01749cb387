/**
 * The embedded stack for benchmarks: the same pieces and wiring as src/embedded/main.ts startEmbedded (API
 * server with admission and defaults, kubelet, controllers; no EventListener sinks), built here so that the
 * benchmark can subscribe to the store and take commit times (performance.now() at the moment a write is
 * committed) instead of sampling through a watch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaulting } from '../../src/api/defaults.js';
import { runControllers, type RunningControllers } from '../../src/controller/index.js';
import type { ControllerConfig } from '../../src/controller/config.js';
import type { ControllerStats } from '../../src/controller/runtime/controller.js';
import { startApiServer, type Store } from '../../src/embedded/apiserver/index.js';
import { startKubelet } from '../../src/embedded/kubelet/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { withHelperImage } from '../../src/embedded/kubelet/helper-image.js';
import { LiveConfig } from '../../src/cluster/live-config.js';
import { tuneHeapForServer } from '../../src/embedded/heap-tuning.js';
import { admission, helperPath } from '../../src/embedded/main.js';
import { startControllerThread } from '../../src/embedded/controller-thread.js';
import { KubeClient } from '../../src/kube/client.js';

/** A running benchmark stack. */
export interface BenchStack {
  client: KubeClient;
  store: Store;
  dataDir: string;
  /** Reconcile counters per controller. */
  stats(): Record<string, ControllerStats>;
  /** The counters, fetched from the controller thread when there is one. */
  refreshStats(): Promise<Record<string, ControllerStats>>;
  /** Event-loop utilization of the main thread and, when there is one, the controller thread. */
  utilization(): { main: EventLoopUtilization; controllers?: EventLoopUtilization };
  stop(): Promise<void>;
}

/** Options: runtime of the kubelet, memory or SQLite store, controller overrides. */
export interface BenchStackOptions {
  runtime: 'host' | 'noop' | 'podman';
  memory?: boolean;
  /** Directory under which the data dir (SQLite file, pod dirs, logs) is made; default the OS temp dir. */
  tmpRoot?: string;
  controllerConfig?: Partial<ControllerConfig>;
  /** Kubernetes Events from controllers and kubelet (default true; `--no-events` in the benchmarks). */
  events?: boolean;
  /** Run the controllers in a worker thread (as `tkt up` does). */
  controllerThread?: boolean;
}

/** Starts API server, kubelet and controllers in this process, as startEmbedded does. */
export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  tuneHeapForServer(); // V8's heap sizing of `tkt up` (heap-tuning.ts): the figures are those of the server users run
  const dataDir = mkdtempSync(join(opts.tmpRoot ?? tmpdir(), 'tektite-bench-'));
  const logs = new FileLogStore(join(dataDir, 'logs'));
  // podman: the prepare init container runs in the local helper image, as startEmbedded arranges
  const config = await withHelperImage(opts.runtime, helperPath(), opts.controllerConfig ?? {});
  const live = new LiveConfig({}, config);
  const api = await startApiServer({
    ...(opts.memory ? {} : { dataDir }), port: 0, logs,
    // embedded mode's admission (Tekton's validation with the feature flags, update rules)
    admission: admission(live.config),
    defaults: defaulting(),
  });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  api.writeKubeconfig(kubeconfigPath);
  // as startEmbedded: the in-process components talk over the API server's Unix socket (no TLS)
  const client = KubeClient.forServer({ server: api.url, token: api.token, ca: api.ca, socketPath: api.socketPath, inProcess: api.inProcess });
  const events = opts.events ?? !process.argv.includes('--no-events');
  const kubelet = await startKubelet({ client, logs, dataDir, runtime: opts.runtime, helperPath: helperPath(), events });
  // --controller-thread: the controllers in a worker thread, as `tkt up` runs them
  const controllers: RunningControllers & { refreshStats?: () => Promise<Record<string, ControllerStats>>; utilization?: () => EventLoopUtilization | undefined } = opts.controllerThread
    ? await startControllerThread({ connection: { server: api.url, token: api.token, ca: api.ca, socketPath: api.socketPath }, inProcess: api.inProcess, live, configNamespace: 'tekton-pipelines', events })
    : await runControllers({ client, liveConfig: live.config, events });
  return {
    client, store: api.store, dataDir, stats: () => controllers.stats(),
    utilization: () => {
      const c = controllers.utilization?.();
      return { main: performance.eventLoopUtilization(), ...(c ? { controllers: c } : {}) };
    },
    refreshStats: async () => (controllers.refreshStats ? await controllers.refreshStats() : controllers.stats()),
    async stop() {
      await controllers.stop();
      await kubelet.stop();
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
