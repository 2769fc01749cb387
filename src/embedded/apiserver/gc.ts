/**
 * The garbage collector and namespace controller of the embedded API server. It reacts to store events:
 * dependents whose owners are all gone are deleted (background), owners with the `foregroundDeletion` finalizer
 * wait for their dependents, `orphan` strips owner references, and Terminating namespaces are emptied then
 * removed. Work is queued and done off the write path; a sweep at start-up catches up after a restart.
 */
import { KINDS, kindForResource, type KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { resourceKey, type ServerContext } from './context.js';
import { deleteObject, FOREGROUND, ORPHAN, rewriteMeta, withoutFinalizer, withoutOwners } from './lifecycle.js';
import { pageKey, type StoreEvent } from './store.js';

const NS_RESOURCE = '/namespaces';

/** Objects read at a time by the start-up sweep. */
const SWEEP_PAGE = 500;

/** The background collector. */
export class GarbageCollector {
  private readonly queue = new Set<string>();
  private scheduled = false;
  private unsubscribe?: () => void;
  private stopped = false;

  constructor(private readonly ctx: ServerContext) {}

  /** Subscribes to the store and queues a full sweep. */
  start(): void {
    this.unsubscribe = this.ctx.store.subscribe((ev) => this.onEvent(ev));
    for (const info of KINDS) {
      // in pages: with a SQLite store, a list reads objects back from disk (50,000 Pods need not be parsed at once)
      const resource = resourceKey(info);
      for (let after: string | undefined, page: KubeObject[]; ; ) {
        page = this.ctx.store.list(resource, undefined, { ...(after === undefined ? {} : { after }), limit: SWEEP_PAGE });
        for (const obj of page) this.enqueueObject(resource, obj, true);
        const last = page[page.length - 1];
        if (!last || page.length < SWEEP_PAGE) break;
        after = pageKey(last.metadata.namespace ?? '', last.metadata.name ?? '');
      }
    }
  }

  /** Stops reacting. */
  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /** Schedules a pass over the queue. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private onEvent(ev: StoreEvent): void {
    if (ev.type === 'DELETED') {
      if (ev.object.metadata.uid) this.add(`gone:${ev.object.metadata.uid}`);
      for (const ref of ev.object.metadata.ownerReferences ?? []) this.add(`owner:${ref.uid}`);
      if (ev.namespace) this.add(`ns:${ev.namespace}`);
      return;
    }
    this.enqueueObject(ev.resource, ev.object, ev.type === 'ADDED');
  }

  private enqueueObject(resource: string, obj: KubeObject, added: boolean): void {
    const uid = obj.metadata.uid ?? '';
    if (obj.metadata.deletionTimestamp) {
      if (resource === NS_RESOURCE) this.add(`ns:${obj.metadata.name ?? ''}`);
      else this.add(`owner:${uid}`);
    }
    if (added && (obj.metadata.ownerReferences ?? []).length > 0) this.add(`dep:${uid}`);
  }

  private add(task: string): void {
    this.queue.add(task);
    this.kick();
  }

  private drain(): void {
    this.scheduled = false;
    const tasks = [...this.queue];
    this.queue.clear();
    for (const t of tasks) {
      if (this.stopped) return;
      const colon = t.indexOf(':');
      const arg = t.slice(colon + 1);
      try {
        this.run(t.slice(0, colon), arg);
      } catch {
        // a failed step is retried when the next event about the object comes
      }
    }
  }

  private run(kind: string, arg: string): void {
    if (kind === 'gone') for (const d of this.ctx.store.dependents(arg)) this.checkDependent(d.resource, d.object);
    else if (kind === 'dep') {
      const ref = this.ctx.store.byUid(arg);
      if (ref) this.checkDependent(ref.resource, ref.object);
    } else if (kind === 'owner') this.checkOwner(arg);
    else if (kind === 'ns') this.checkNamespace(arg);
  }

  /** A dependent with every owner gone is deleted; one with some owners left loses the dangling references. */
  private checkDependent(resource: string, obj: KubeObject): void {
    const refs = obj.metadata.ownerReferences ?? [];
    const missing = new Set(refs.filter((r) => !this.ownerExists(r.uid)).map((r) => r.uid));
    if (missing.size === 0 || obj.metadata.deletionTimestamp) return;
    const info = kindForResource(...split(resource));
    if (!info) return;
    if (missing.size < refs.length) {
      rewriteMeta(this.ctx, resource, obj, (o) => withoutOwners(o, missing));
      return;
    }
    this.deleteQuietly(info, obj, 'Background');
  }

  private ownerExists(uid: string): boolean {
    return this.ctx.store.byUid(uid) !== undefined;
  }

  /** An owner being deleted with foregroundDeletion or orphan finalizers. */
  private checkOwner(uid: string): void {
    const ref = this.ctx.store.byUid(uid);
    if (!ref || !ref.object.metadata.deletionTimestamp) return;
    const fins = ref.object.metadata.finalizers ?? [];
    const deps = this.ctx.store.dependents(uid);
    if (fins.includes(ORPHAN)) {
      for (const d of deps) rewriteMeta(this.ctx, d.resource, d.object, (o) => withoutOwners(o, new Set([uid])));
      this.dropFinalizer(uid, ORPHAN);
      return;
    }
    if (!fins.includes(FOREGROUND)) return;
    if (deps.length === 0) {
      this.dropFinalizer(uid, FOREGROUND);
      return;
    }
    for (const d of deps) {
      const info = kindForResource(...split(d.resource));
      if (info && !d.object.metadata.deletionTimestamp) this.deleteQuietly(info, d.object, 'Foreground');
    }
  }

  private dropFinalizer(uid: string, finalizer: string): void {
    const ref = this.ctx.store.byUid(uid);
    if (ref) rewriteMeta(this.ctx, ref.resource, ref.object, (o) => withoutFinalizer(o, finalizer));
  }

  /** A Terminating namespace: delete what is in it; remove it once empty. */
  private checkNamespace(name: string): void {
    const ns = this.ctx.store.get(NS_RESOURCE, '', name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    const resources = this.ctx.store.resourcesIn(name);
    if (resources.length === 0) {
      if ((ns.metadata.finalizers ?? []).length === 0) this.ctx.store.remove(NS_RESOURCE, '', name);
      return;
    }
    for (const resource of resources) {
      const info = kindForResource(...split(resource));
      if (!info) continue;
      for (const obj of this.ctx.store.list(resource, name)) if (!obj.metadata.deletionTimestamp) this.deleteQuietly(info, obj, 'Background');
    }
  }

  private deleteQuietly(info: KindInfo, obj: KubeObject, policy: 'Background' | 'Foreground'): void {
    try {
      deleteObject(this.ctx, info, obj.metadata.namespace ?? '', obj.metadata.name ?? '', { propagationPolicy: policy });
    } catch {
      // already gone or changed under us: the next event brings it back here if needed
    }
  }
}

function split(resource: string): [string, string] {
  const i = resource.indexOf('/');
  return [resource.slice(0, i), resource.slice(i + 1)];
}
