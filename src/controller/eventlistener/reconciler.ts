/**
 * The EventListener controller for clusters: for each EventListener it creates or updates Deployment and Service
 * `el-<name>` (gather from informer caches → build the desired objects → write only what differs) and writes the
 * status through /status. Not used in embedded mode, where the sinks run in-process.
 */
import type { EventListener, KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isAlreadyExists } from '../../kube/errors.js';
import { Controller, silentLogger, type Logger, type ReconcileResult } from '../runtime/controller.js';
import { Informer, keyOf } from '../runtime/informer.js';
import { writeStatus } from '../runtime/status-writer.js';
import { buildDeployment, buildService, generatedName, isSubset, type Deployment, type Service } from './resources.js';
import { eventListenerStatus } from './status.js';

const EVENT_LISTENER = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };
const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const SERVICE = { apiVersion: 'v1', kind: 'Service' };
const CHILD_SELECTOR = 'app.kubernetes.io/managed-by=EventListener';

/** Options of {@link runEventListenerController}. */
export interface EventListenerControllerOptions {
  client: KubeClient;
  /** Image of the sink (`tkt eventlistener`): the tektite image. */
  image: string;
  log?: Logger;
  /** Restrict to one namespace (default: all). */
  namespace?: string;
  workers?: number;
  now?: () => Date;
}

/** Starts the controller; resolves once its caches are synced. */
export async function runEventListenerController(opts: EventListenerControllerOptions): Promise<{ stop(): Promise<void> }> {
  const log = opts.log ?? silentLogger;
  const informerOpts = { namespace: opts.namespace, onError: (err: unknown) => log.warn({ err: String(err) }, 'EventListener informer error; relisting') };
  const els = new Informer<EventListener>(opts.client, EVENT_LISTENER, informerOpts);
  const deployments = new Informer<Deployment>(opts.client, DEPLOYMENT, { ...informerOpts, labelSelector: CHILD_SELECTOR });
  const services = new Informer<Service>(opts.client, SERVICE, { ...informerOpts, labelSelector: CHILD_SELECTOR });
  const reconcile = eventListenerReconciler({ ...opts, els, deployments, services });
  const controller = new Controller({ name: 'eventlistener', workers: opts.workers ?? 2, log, reconcile });
  const self = (o: KubeObject): void => controller.enqueue(keyOf(o));
  const owner = (o: KubeObject): void => {
    const name = o.metadata.labels?.eventlistener;
    if (name) controller.enqueue(`${o.metadata.namespace}/${name}`);
  };
  els.addHandlers({ onAdd: self, onUpdate: self });
  deployments.addHandlers({ onAdd: owner, onUpdate: owner, onDelete: owner });
  services.addHandlers({ onAdd: owner, onUpdate: owner, onDelete: owner });
  await Promise.all([els.start(), deployments.start(), services.start()]);
  controller.start();
  return {
    async stop() {
      els.stop();
      deployments.stop();
      services.stop();
      await controller.stop();
    },
  };
}

interface Deps extends EventListenerControllerOptions {
  els: Informer<EventListener>;
  deployments: Informer<Deployment>;
  services: Informer<Service>;
}

/** Builds the reconcile function. */
export function eventListenerReconciler(d: Deps): (key: string) => Promise<ReconcileResult | void> {
  const now = d.now ?? (() => new Date());
  return async (key) => {
    const el = d.els.get(key);
    if (!el || el.metadata.deletionTimestamp) return;
    const ns = el.metadata.namespace ?? 'default';
    const childKey = `${ns}/${generatedName(el)}`;
    const deployment = await ensure(d.client, d.deployments.get(childKey), buildDeployment(el, d.image), mergeDeployment);
    const service = await ensure(d.client, d.services.get(childKey), buildService(el), mergeService);
    await writeStatus(d.client, el, eventListenerStatus(el, deployment, service, now()));
  };
}

/** Creates `want` when absent, updates `have` when it does not already contain `want`; answers the object. */
async function ensure<T extends KubeObject>(client: KubeClient, have: T | undefined, want: T, merge: (have: T, want: T) => T): Promise<T> {
  if (!have) {
    try {
      return await client.create(want);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get<T>(want, want.metadata.namespace, want.metadata.name ?? '');
      return ensure(client, existing, want, merge);
    }
  }
  const metaOk = isSubset(want.metadata.labels, have.metadata.labels) && isSubset(want.metadata.ownerReferences, have.metadata.ownerReferences);
  if (metaOk && isSubset(want.spec, have.spec)) return have;
  return client.update<T>(merge(have, want));
}

function mergeMeta(have: KubeObject, want: KubeObject): KubeObject['metadata'] {
  return { ...have.metadata, labels: { ...(have.metadata.labels ?? {}), ...(want.metadata.labels ?? {}) }, ownerReferences: want.metadata.ownerReferences };
}

/** Our fields over the stored Deployment; the selector is immutable, so the stored one stays. */
function mergeDeployment(have: Deployment, want: Deployment): Deployment {
  return { ...have, metadata: mergeMeta(have, want), spec: { ...have.spec, replicas: want.spec.replicas, template: want.spec.template } };
}

/** Our fields over the stored Service (clusterIP and other allocated fields stay). */
function mergeService(have: Service, want: Service): Service {
  return { ...have, metadata: mergeMeta(have, want), spec: { ...have.spec, ...want.spec } };
}
