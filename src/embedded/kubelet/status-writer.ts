/**
 * Writes a pod's status through merge patches of `/status`, batched: at most one write in flight per pod; the
 * changes made while it is in flight go out together in the next write, which always carries the latest state.
 * A write starts COALESCE_MS after the first change it carries. So a container's termination is reported within
 * milliseconds (plus the previous write's round trip), and many containers starting at once cost a couple of
 * writes, not one each.
 */
import type { PodStatus } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { isNotFound } from '../../kube/errors.js';
import type { KubeletLogger } from './types.js';

const POD = { apiVersion: 'v1', kind: 'Pod' };

/** Changes within this window after the first one go out in the same write. */
const COALESCE_MS = 10;

/** Batched status writes for one pod. */
export class StatusWriter {
  private dirty = false;
  private closed = false;
  private running?: Promise<void>;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly name: string,
    private readonly render: () => PodStatus,
    private readonly log: KubeletLogger,
  ) {}

  /** Notes that the status changed; a write follows soon. */
  markDirty(): void {
    if (this.closed) return;
    this.dirty = true;
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
      if (this.dirty && !this.closed) this.markDirty();
    });
  }

  /** Resolves when everything marked so far has been written (or the writer was closed). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops writing (the pod is gone or the kubelet stops). */
  close(): void {
    this.closed = true;
  }

  private async loop(): Promise<void> {
    await new Promise((r) => setTimeout(r, COALESCE_MS));
    let attempt = 0;
    while (this.dirty && !this.closed) {
      this.dirty = false;
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
      }
    }
  }
}
