/**
 * The worker-thread side of {@link startControllerThread} (controller-thread.ts): runs tektite's controllers with a
 * client whose requests cross a MessagePort to the API server's in-process handler on the main thread. Its
 * configuration: the main thread's explicit settings, with Tekton's ConfigMaps followed through its own watch.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { LiveConfig, watchConfigMaps } from '../cluster/live-config.js';
import { runControllers } from '../controller/index.js';
import { silentLogger, type Logger } from '../controller/runtime/controller.js';
import { KubeClient } from '../kube/client.js';
import { portHttp } from '../kube/in-process-port.js';
import type { ControllerWorkerSetup, FromControllerWorker, ToControllerWorker } from './controller-thread.js';

/** A log call's fields as they can cross threads (what cannot be cloned is sent as text). */
function cloneable(obj: object): object {
  try {
    return structuredClone(obj);
  } catch {
    return JSON.parse(JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? v.message : typeof v === 'function' ? undefined : v))) as object;
  }
}

/** Runs the controllers until the main thread says `stop`. */
export function runControllerWorker(): void {
  const parent = parentPort;
  if (!parent) throw new Error('runControllerWorker runs in a worker thread');
  const setup = workerData as ControllerWorkerSetup & { port: MessagePort };
  const send = (m: FromControllerWorker): void => parent.postMessage(m);
  const client = KubeClient.forServer({ ...setup.connection, inProcess: portHttp(setup.port) });
  const live = new LiveConfig(setup.config.base, setup.config.overrides);
  // what is wrong in a ConfigMap is reported (log, Warning Event) by the main thread, which follows them too
  const configMaps = watchConfigMaps(client, setup.configNamespace, live, { events: false, log: () => undefined });
  const forward = (level: keyof Logger) => (obj: object, msg?: string): void => send({ t: 'log', level, obj: cloneable(obj), ...(msg === undefined ? {} : { msg }) });
  const log: Logger = setup.log ? { info: forward('info'), warn: forward('warn'), error: forward('error'), debug: forward('debug') } : silentLogger;
  const running = configMaps.then(() => runControllers({ client, liveConfig: live.config, log, events: setup.events, ...(setup.namespace ? { namespace: setup.namespace } : {}) }));
  parent.on('message', (m: ToControllerWorker) => {
    void running.then(async (c) => {
      if (m.t === 'stats') {
        send({ t: 'stats', id: m.id, stats: c.stats() });
        return;
      }
      await c.stop(m.flushMs);
      await (await configMaps).stop();
      send({ t: 'stopped', id: m.id });
      setup.port.close();
      parent.close();
    });
  });
  running.then(
    (c) => send({ t: 'ready', stats: c.stats() }),
    (err: unknown) => {
      send({ t: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    },
  );
}
