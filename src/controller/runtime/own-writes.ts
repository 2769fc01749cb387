/**
 * The watch echoes of a controller's own writes. A reconciler that creates an object or writes a status has
 * already decided with what it wrote; the watch event of that very write wakes the reconciler again for nothing
 * (a full reconcile, a pass over thousands of children for a wide PipelineRun). Writes are remembered here and
 * the event handlers ask before queueing. The echo may come before the write's answer, so a status is
 * remembered from the moment it is sent. Bounded; a forgotten write costs one needless reconcile, never a
 * missed one (anything that differs from what was written still queues).
 */
import type { KubeObject } from '../../api/types.js';
import { jsonEqual } from '../../api/json-equal.js';

/** Creates remembered at most (their echoes come within moments). */
const MAX_CREATES = 50_000;
/** Objects whose statuses are remembered at most (a status can be large; reconcilers forget finished objects). */
const MAX_STATUSES = 2_000;

/** A create sent but not answered yet. */
const PENDING = '';

const objectKey = (obj: KubeObject): string => `${obj.kind ?? ''}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

function bounded<K, V>(m: Map<K, V>, k: K, v: V, max: number): void {
  m.delete(k);
  m.set(k, v);
  if (m.size > max) m.delete(m.keys().next().value as K);
}

/** Objects created and statuses written by one controller. */
export class OwnWrites {
  private readonly created = new Map<string, string>();
  private readonly statuses = new Map<string, unknown[]>();

  /**
   * Creates `obj` with `create`, recording it as this controller's own: from before the request (the watch may
   * deliver the object before the create answers) to its answer (then at the version stored). A failed create is
   * forgotten.
   */
  async create<T extends KubeObject>(obj: KubeObject, create: (obj: KubeObject) => Promise<T>): Promise<T> {
    const key = objectKey(obj);
    if (obj.kind) bounded(this.created, key, PENDING, MAX_CREATES);
    try {
      const stored = await create(obj);
      const rv = stored.metadata.resourceVersion;
      if (this.created.get(key) === PENDING) {
        if (rv) this.created.set(key, rv);
        else this.created.delete(key);
      }
      return stored;
    } catch (err) {
      if (this.created.get(key) === PENDING) this.created.delete(key);
      throw err;
    }
  }

  /** Whether an added object is one this controller created (forgotten once asked). */
  isOwnCreate(obj: KubeObject): boolean {
    const key = objectKey(obj);
    const rv = this.created.get(key);
    if (rv === undefined) return false;
    this.created.delete(key);
    return rv === PENDING || rv === obj.metadata.resourceVersion;
  }

  /** Records a status about to be written for the object with key `key` (the last two are kept). */
  writingStatus(key: string, status: unknown): void {
    const prev = this.statuses.get(key);
    bounded(this.statuses, key, prev && prev.length > 0 ? [prev[prev.length - 1], status] : [status], MAX_STATUSES);
  }

  /** Whether `status` is one this controller wrote last for `key`. */
  isOwnStatus(key: string, status: unknown): boolean {
    return (this.statuses.get(key) ?? []).some((s) => jsonEqual(s, status));
  }

  /** Forgets an object's statuses (it finished or is gone). */
  forget(key: string): void {
    this.statuses.delete(key);
  }
}

/** Labels, annotations, finalizers and deletion unchanged (what a status write leaves alone). */
export function sameMetadata(a: KubeObject, b: KubeObject): boolean {
  return a.metadata.deletionTimestamp === b.metadata.deletionTimestamp && a.metadata.generation === b.metadata.generation
    && jsonEqual(a.metadata.labels, b.metadata.labels) && jsonEqual(a.metadata.annotations, b.metadata.annotations)
    && jsonEqual(a.metadata.finalizers, b.metadata.finalizers);
}
