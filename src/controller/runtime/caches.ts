/**
 * The informers of a controller process seen as one read-through cache for the KubeClient (see
 * KubeClient.withCache): a get() of a kind that has an informer is answered from its cache when the object is
 * there (a miss still asks the API server, so an object created a moment ago is found), and every object a write
 * returns is fed back into the informer of its kind, so that the next reconcile sees its own writes at once
 * instead of acting on a stale copy (a 409, or a second create answered AlreadyExists).
 */
import type { KubeObject } from '../../api/types.js';
import type { ClientCache, KindRef } from '../../kube/client.js';
import type { Informer } from './informer.js';

const refKey = (ref: KindRef): string => `${ref.apiVersion}/${ref.kind}`;

/** Informers by kind, as a {@link ClientCache}. */
export class InformerCaches implements ClientCache {
  private readonly byKind = new Map<string, Informer<KubeObject>>();

  /** Registers the informer of a kind (one per apiVersion and kind). */
  add<T extends KubeObject>(ref: KindRef, informer: Informer<T>): Informer<T> {
    this.byKind.set(refKey(ref), informer as unknown as Informer<KubeObject>);
    return informer;
  }

  /** The cached object, if an informer of its kind holds it. */
  lookup(ref: KindRef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byKind.get(refKey(ref))?.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Feeds an object returned by a write into the informer of its kind. */
  observe(obj: KubeObject): void {
    if (!obj.apiVersion || !obj.kind) return;
    this.byKind.get(refKey({ apiVersion: obj.apiVersion, kind: obj.kind }))?.observe(obj);
  }
}
