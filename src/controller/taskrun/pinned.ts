/**
 * The TaskSpec a TaskRun runs with, fixed at its first reconcile: Tekton stores it in status.taskSpec and from then
 * on never fetches the Task again, so a Task changed or deleted while its run's pod runs changes nothing about the
 * run. The controller keeps what it fetched first (the Task's spec and StepActions, before substitution) per run,
 * and the spec resolved from it per attempt (a retry resolves again: its $(context.task.retry-count) differs), so
 * that a reconcile neither fetches nor substitutes again. Entries go when the run finishes or is deleted. A
 * controller that finds a started run it did not pin (after a restart) takes its status.taskSpec, as Tekton does.
 */
import { deepFreeze } from '../../api/deep-freeze.js';
import type { TaskRun } from '../../api/types.js';
import type { resolveTaskSpec } from '../../engine/taskrun/resolve.js';
import type { Fetched } from './resolve.js';

type Resolved = ReturnType<typeof resolveTaskSpec>;

interface Pin {
  uid: string | undefined;
  fetched: Extract<Fetched, { ok: true }>;
  /** Resolved spec by attempt (the number of retries so far). */
  resolved: Map<number, Resolved>;
}

/** Pinned specs of the TaskRuns in flight, by key (namespace/name). */
export class PinnedSpecs {
  private readonly pins = new Map<string, Pin>();

  /** What the run was first fetched with; `fetch` runs only when nothing is pinned for this run. */
  async fetched(key: string, tr: TaskRun, fetch: () => Promise<Fetched>): Promise<Fetched> {
    const pin = this.pins.get(key);
    if (pin && pin.uid === tr.metadata.uid) return pin.fetched;
    const fetched = await fetch();
    if (fetched.ok) this.pins.set(key, { uid: tr.metadata.uid, fetched, resolved: new Map() });
    else this.pins.delete(key);
    return fetched;
  }

  /** The spec resolved for the run's attempt `attempt`, computed once per attempt when the run's spec is pinned. */
  resolved(key: string, tr: TaskRun, fetched: Fetched, attempt: number, resolve: () => Resolved): Resolved {
    const pin = this.pins.get(key);
    if (!pin || pin.fetched !== fetched || pin.uid !== tr.metadata.uid) return resolve();
    let r = pin.resolved.get(attempt);
    if (!r) {
      r = deepFreeze(resolve()); // shared by every reconcile of the attempt: nothing may change it
      pin.resolved.set(attempt, r);
    }
    return r;
  }

  /** The run finished or is gone. */
  forget(key: string): void {
    this.pins.delete(key);
  }

  /** Runs pinned (diagnostics, tests). */
  get size(): number {
    return this.pins.size;
  }
}
