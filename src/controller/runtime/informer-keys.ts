/**
 * Keys, resourceVersion order, label selectors and index functions of the informers (see informer.ts).
 */
import type { KubeObject } from '../../api/types.js';

/** `namespace/name`, or `name` for cluster-scoped objects: the key reconcilers work on. */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : String(obj.metadata.name);
}

/** Splits a key into namespace and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * Whether resourceVersion `a` is older than `b`. Versions are opaque in Kubernetes, but both etcd and the embedded
 * store hand out increasing integers; anything else is never called older (the newest write wins as before).
 */
export function isOlder(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return a.length !== b.length ? a.length < b.length : a < b;
}

/** Whether an object's labels satisfy a selector of `key`, `!key`, `key=value` and `key!=value` terms. */
export function matchesLabels(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  for (const term of (selector ?? '').split(',').map((t) => t.trim()).filter(Boolean)) {
    const ne = term.indexOf('!=');
    const eq = term.indexOf('=');
    if (term.startsWith('!')) {
      if (labels?.[term.slice(1)] !== undefined) return false;
    } else if (ne > 0) {
      if (labels?.[term.slice(0, ne)] === term.slice(ne + 2).replace(/^=/, '')) return false;
    } else if (eq > 0) {
      if (labels?.[term.slice(0, eq)] !== term.slice(eq + 1).replace(/^=/, '')) return false;
    } else if (labels?.[term] === undefined) {
      return false;
    }
  }
  return true;
}

/** Derives index values from an object (e.g. its owner's key); see {@link Informer.addIndex}. */
export type IndexFn<T> = (obj: T) => string[];

/** An index of objects by the value of a label, as `namespace/value` (e.g. children by their owner's key). */
export function labelIndex<T extends KubeObject>(label: string): IndexFn<T> {
  return (obj) => {
    const v = obj.metadata.labels?.[label];
    return v === undefined ? [] : [`${obj.metadata.namespace ?? ''}/${v}`];
  };
}
