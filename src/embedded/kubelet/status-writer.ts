/**
 * Writes a pod's status through merge patches of `/status`, batched: at most one write in flight per pod; the
 * changes made while it is in flight go out together in the next write, which always carries the latest state.
 *
 * Two urgencies. A prompt change (a container terminated, readiness changed, the pod finished or failed) goes out
 * PROMPT_MS after it was made (plus the previous write's round trip): the controllers act on those. Any other
 * change (Pending, waiting reasons, a container running) waits up to SETTLE_MS, so a pod whose containers all
 * finish quickly is written once, with its final state, instead of once per step of its life.
 */
import type { PodStatus } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isNotFound } from '../../kube/errors.js';
import type { KubeletLogger } from './types.js';

const POD = { apiVersion: 'v1', kind: 'Pod' };

/** Prompt changes within this window after the first one go out in the same write. */
export const PROMPT_MS = 10;
/** Other changes wait at most this long for a prompt change to ride with. */
export const SETTLE_MS = 100;

/** Batched status writes for one pod. */
export class StatusWriter {
  private dirty = false;
  private closed = false;
  private running?: Promise<void>;
  /** When the pending changes must go out (ms, performance clock). */
  private due = Infinity;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly name: string,
    private readonly render: () => PodStatus,
    private readonly log: KubeletLogger,
  ) {}

  /** Notes that the status changed; a write follows within PROMPT_MS (`prompt`) or SETTLE_MS. */
  markDirty(prompt = false): void {
    if (this.closed) return;
    this.dirty = true;
    const due = performance.now() + (prompt ? PROMPT_MS : SETTLE_MS);
    if (due < this.due) {
      this.due = due;
      if (this.wake) this.arm();
    }
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
      if (this.dirty && !this.closed) this.markDirty(true);
    });
  }

  /** Resolves when everything marked so far has been written (or the writer was closed). */
  async flush(): Promise<void> {
    this.due = 0;
    if (this.wake) this.arm();
    while (this.running) await this.running;
    if (!this.dirty) this.due = Infinity;
  }

  /** Stops writing (the pod is gone or the kubelet stops). */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  /** (Re)starts the timer of the current wait for `due`. */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const wake = this.wake;
    this.timer = setTimeout(() => wake?.(), Math.max(0, this.due - performance.now()));
  }

  private async waitDue(): Promise<void> {
    if (this.due <= performance.now()) return;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.arm();
    });
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wake = undefined;
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (this.dirty && !this.closed) {
      await this.waitDue();
      if (this.closed) return;
      this.dirty = false;
      this.due = Infinity;
      try {
        await this.client.patch(POD, this.namespace, this.name, { status: this.render() }, { status: true });
        attempt = 0;
      } catch (err) {
        if (isNotFound(err)) {
          this.closed = true;
          return;
        }
        this.dirty = true;
        attempt++;
        this.log.warn(`kubelet: status of pod ${this.namespace}/${this.name}: ${(err as Error).message} (retrying)`);
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
        this.due = Math.min(this.due, performance.now());
      }
    }
  }
}
