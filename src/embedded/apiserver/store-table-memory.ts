/**
 * The memory store's object table: every object in maps, with indexes by uid, owner uid and label. The SQLite
 * store's CachedTable (store-table.ts) keeps the configuration kinds in one of these too.
 */
import type { KubeObject } from '../../api/types.js';
import { objectKey, slicePage, type ListPage, type StoredRef } from './store.js';
import type { Addr, ObjectTable } from './store-table.js';

export const addrOf = (obj: KubeObject): { namespace: string; name: string } => ({ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });

/** Counts of objects per namespace and resource (what resourcesIn answers). */
export class NamespaceCounts {
  private readonly m = new Map<string, Map<string, number>>();

  add(namespace: string, resource: string, n: number): void {
    let counts = this.m.get(namespace);
    if (!counts) this.m.set(namespace, (counts = new Map()));
    const v = (counts.get(resource) ?? 0) + n;
    if (v > 0) counts.set(resource, v);
    else counts.delete(resource);
    if (counts.size === 0) this.m.delete(namespace);
  }

  resources(namespace: string): string[] {
    return [...(this.m.get(namespace)?.keys() ?? [])];
  }

  clear(): void {
    this.m.clear();
  }
}

/** Every object in memory, indexed by uid, owner uid and label. */
export class MemoryTable implements ObjectTable {
  private readonly objects = new Map<string, Map<string, Map<string, KubeObject>>>();
  private readonly uids = new Map<string, Addr>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly labels = new Map<string, Map<string, Set<string>>>();
  private readonly addrs = new Map<string, Addr>();
  private readonly counts = new NamespaceCounts();

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(namespace)?.get(name);
  }

  list(resource: string, namespace?: string, page?: ListPage): KubeObject[] {
    return slicePage(this.all(resource, namespace), page);
  }

  private all(resource: string, namespace?: string): KubeObject[] {
    const byNs = this.objects.get(resource);
    if (!byNs) return [];
    const namespaces = namespace === undefined ? [...byNs.keys()].sort() : [namespace];
    const out: KubeObject[] = [];
    for (const ns of namespaces) {
      const names = byNs.get(ns);
      if (!names) continue;
      for (const n of [...names.keys()].sort()) out.push(names.get(n) as KubeObject);
    }
    return out;
  }

  listByLabels(resource: string, namespace: string | undefined, labels: Record<string, string>): KubeObject[] {
    const index = this.labels.get(resource);
    const sets = Object.entries(labels).map(([k, v]) => index?.get(`${k}=${v}`));
    if (sets.length === 0) return this.list(resource, namespace);
    if (sets.some((s) => !s)) return [];
    const [smallest, ...rest] = (sets as Set<string>[]).sort((a, b) => a.size - b.size);
    const out: KubeObject[] = [];
    for (const key of smallest ?? []) {
      if (!rest.every((s) => s.has(key))) continue;
      const a = this.addrs.get(key) as Addr;
      if (namespace !== undefined && a.namespace !== namespace) continue;
      out.push(this.get(a.resource, a.namespace, a.name) as KubeObject);
    }
    return out.sort(compareObjects);
  }

  resourcesIn(namespace: string): string[] {
    return this.counts.resources(namespace);
  }

  byUid(uid: string): StoredRef | undefined {
    const a = this.uids.get(uid);
    return a ? { resource: a.resource, object: this.get(a.resource, a.namespace, a.name) as KubeObject } : undefined;
  }

  dependents(ownerUid: string): StoredRef[] {
    return [...(this.owners.get(ownerUid) ?? [])].map((k) => {
      const a = this.addrs.get(k) as Addr;
      return { resource: a.resource, object: this.get(a.resource, a.namespace, a.name) as KubeObject };
    });
  }

  put(resource: string, obj: KubeObject, old: KubeObject | undefined): void {
    if (old) this.drop(resource, old);
    const a: Addr = { resource, ...addrOf(obj) };
    const key = objectKey(resource, a.namespace, a.name);
    let byNs = this.objects.get(resource);
    if (!byNs) this.objects.set(resource, (byNs = new Map()));
    let names = byNs.get(a.namespace);
    if (!names) byNs.set(a.namespace, (names = new Map()));
    names.set(a.name, obj);
    this.addrs.set(key, a);
    if (obj.metadata.uid) this.uids.set(obj.metadata.uid, a);
    for (const ref of obj.metadata.ownerReferences ?? []) addToSet(this.owners, ref.uid, key);
    let li = this.labels.get(resource);
    if (!li) this.labels.set(resource, (li = new Map()));
    for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) addToSet(li, `${k}=${v}`, key);
    this.counts.add(a.namespace, resource, 1);
  }

  drop(resource: string, old: KubeObject): void {
    const { namespace, name } = addrOf(old);
    const key = objectKey(resource, namespace, name);
    const names = this.objects.get(resource)?.get(namespace);
    names?.delete(name);
    if (names?.size === 0) this.objects.get(resource)?.delete(namespace);
    this.addrs.delete(key);
    if (old.metadata.uid) this.uids.delete(old.metadata.uid);
    for (const ref of old.metadata.ownerReferences ?? []) removeFromSet(this.owners, ref.uid, key);
    const li = this.labels.get(resource);
    for (const [k, v] of Object.entries(old.metadata.labels ?? {})) if (li) removeFromSet(li, `${k}=${v}`, key);
    this.counts.add(namespace, resource, -1);
  }

  reset(): void {
    for (const m of [this.objects, this.uids, this.owners, this.labels, this.addrs]) m.clear();
    this.counts.clear();
  }
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a2 = a.metadata.name ?? '';
  const b2 = b.metadata.name ?? '';
  return a2 < b2 ? -1 : a2 > b2 ? 1 : 0;
}

function addToSet(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFromSet(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  s?.delete(v);
  if (s?.size === 0) m.delete(k);
}
