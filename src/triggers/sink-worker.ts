/**
 * The worker-thread side of {@link SinkThread} (sink-thread.ts): serves EventListener sinks in a worker thread of
 * the embedded process, so that reading bodies, checking signatures, parsing JSON, interceptors, bindings and
 * templates use the second core while the main thread keeps the API server. The worker reads the Triggers objects
 * and Secrets through its own watch-backed caches (its own client of the same API server) and hands every create
 * and delete to the main thread, which writes them through the in-process API server and answers after the commit:
 * a webhook is still answered 2xx only once its runs are stored.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KubeObject } from '../api/types.js';
import { KubeClient } from '../kube/client.js';
import { ApiError } from '../kube/errors.js';
import { outcomeRecorder } from './k8s-events.js';
import { cachedLookup } from './lookup.js';
import type { CreateIdentity } from './process.js';
import { clientWriters, listenSink, type RunningSink, type SinkTuning } from './server.js';
import type { SinkLogger } from './sink.js';
import { Batcher } from '../kube/in-process-port.js';
import type { FromWorker, ToWorker, WorkerSetup, WireError, WriteAsk } from './sink-thread.js';

/** Runs the worker's side until the main thread says `shutdown`. */
export function runSinkWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('runSinkWorker runs in a worker thread');
  const setup = workerData as WorkerSetup;
  const send = (m: FromWorker): void => port.postMessage(m);
  const client = KubeClient.forServer(setup.connection);
  const lookup = cachedLookup(client);
  let next = 0;
  const waiting = new Map<number, { resolve: (v: KubeObject | undefined) => void; reject: (e: unknown) => void }>();
  const writes = new Batcher<WriteAsk>((items) => send({ t: 'writes', items }));
  const ask = (op: 'create' | 'remove', obj: KubeObject): Promise<KubeObject | undefined> => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    writes.push({ op, id, obj });
  });
  const viaMain = {
    create: async (obj: KubeObject) => (await ask('create', obj)) as KubeObject,
    remove: async (obj: KubeObject) => { await ask('remove', obj); },
  };
  // creates as a service account go over HTTP with impersonation, as before; the others through the main thread
  const asAccount = clientWriters(client, false, setup.tuning.checkServiceAccounts).create;
  const writers = {
    create: (obj: KubeObject, as?: CreateIdentity) => (as ? asAccount(obj, as) : viaMain.create(obj)),
    remove: viaMain.remove,
  };
  const recorder = outcomeRecorder(viaMain.create);
  const logger: SinkLogger | undefined = setup.logger ? {
    info: (obj, msg) => send({ t: 'log', level: 'info', obj, ...(msg === undefined ? {} : { msg }) }),
    warn: (obj, msg) => send({ t: 'log', level: 'warn', obj, ...(msg === undefined ? {} : { msg }) }),
  } : undefined;
  const tuning: SinkTuning = { ...setup.tuning, ...(logger ? { logger } : {}) };
  const sinks = new Map<number, RunningSink>();

  const handle = async (m: ToWorker): Promise<void> => {
    switch (m.t) {
      case 'replies':
        for (const r of m.items) {
          const w = waiting.get(r.id);
          waiting.delete(r.id);
          if (r.ok) w?.resolve(r.obj);
          else w?.reject(toError(r.error));
        }
        return;
      case 'listen':
        try {
          const sink = await listenSink({ client, name: m.name, namespace: m.namespace, port: m.port, host: m.host, lookup, recorder, tuning, writers });
          sinks.set(m.id, sink);
          send({ t: 'done', id: m.id, ok: true, url: sink.url });
        } catch (err) {
          send({ t: 'done', id: m.id, ok: false, error: { code: 0, reason: 'ListenFailed', message: err instanceof Error ? err.message : String(err) } });
        }
        return;
      case 'close':
        await sinks.get(m.sink)?.close();
        sinks.delete(m.sink);
        send({ t: 'done', id: m.id, ok: true });
        return;
      case 'shutdown':
        await Promise.all([...sinks.values()].map((s) => s.close()));
        await recorder.flush();
        lookup.stop();
        send({ t: 'done', id: m.id, ok: true });
        port.close();
    }
  };
  port.on('message', (m: ToWorker) => { void handle(m); });
  send({ t: 'ready' });
}

function toError(e: WireError): Error {
  return e.reason === 'Error' ? new Error(e.message) : new ApiError(e.code, e.reason, e.message, e.status);
}
