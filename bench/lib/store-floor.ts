/**
 * The store's own ceiling, measured in the benchmark's run (issue 19's floor for PipelineRun throughput): the
 * write mix of the run just measured — the same resources in the same proportions, objects the size of the run's
 * own — applied straight to a fresh store of the same backend in a temporary directory, in transactions of
 * `batch` writes as the API server's group commit makes them. No HTTP, admission, watch or controller: what
 * persisting the writes alone costs. Answers the writes per second and the TaskRuns per second that allows.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/api/types.js';
import { openStore } from '../../src/embedded/apiserver/store-sqlite.js';
import type { Store } from '../../src/embedded/apiserver/store.js';

export interface StoreFloor { writesPerSecond: number; taskRunsPerSecond: number; writesPerTaskRun: number }

/**
 * `writes`: writes per resource in the run; `objects`: objects per resource it wrote (so writes per object);
 * `samples`: one stored object per resource (a final version, for the size); `taskRuns`: TaskRuns of the run.
 * Replays `units` TaskRuns' worth of writes: each resource's writes per TaskRun, as creates of new objects and
 * updates of them in the run's proportion.
 */
export function measureStoreFloor(writes: Map<string, number>, objects: Map<string, number>, samples: Map<string, KubeObject>, taskRuns: number, opts: { sqlite: boolean; batch?: number; units?: number }): StoreFloor {
  const batch = opts.batch ?? 8;
  const units = opts.units ?? 2000;
  const perTr = [...writes].filter(([res]) => samples.has(res) && (objects.get(res) ?? 0) > 0)
    .map(([res, n]) => ({ res, n: n / taskRuns, versions: Math.max(1, n / (objects.get(res) as number)) }));
  const writesPerTaskRun = perTr.reduce((s, x) => s + x.n, 0);
  const dir = mkdtempSync(join(tmpdir(), 'tkt-store-floor-'));
  const store: Store = openStore(opts.sqlite ? dir : undefined);
  try {
    const plan: Array<{ res: string; obj: number; create: boolean }> = [];
    for (let u = 0; u < units; u++) {
      for (const { res, n, versions } of perTr) {
        const want = Math.floor((u + 1) * n) - Math.floor(u * n);
        for (let k = 0; k < want; k++) {
          // the seq-th write of this resource: to object seq / versions, a create when it is that object's first
          const seq = Math.floor(u * n) + k;
          const obj = Math.floor(seq / versions);
          plan.push({ res, obj, create: seq === 0 || Math.floor((seq - 1) / versions) !== obj });
        }
      }
    }
    const current = new Map<string, KubeObject>();
    const write = (p: { res: string; obj: number; create: boolean }): void => {
      const key = `${p.res}/${p.obj}`;
      const sample = samples.get(p.res) as KubeObject;
      if (p.create || !current.has(key)) {
        const obj = { ...sample, metadata: { ...sample.metadata, name: `floor-${p.obj}`, uid: randomUUID(), resourceVersion: undefined } } as KubeObject;
        current.set(key, store.create(p.res, obj));
        return;
      }
      const old = current.get(key) as KubeObject;
      current.set(key, store.update(p.res, { ...old, metadata: { ...old.metadata, annotations: { ...old.metadata.annotations, 'bench/version': String(Math.random()) } } }));
    };
    const t0 = performance.now();
    for (let i = 0; i < plan.length; i += batch) store.batch(() => plan.slice(i, i + batch).forEach(write));
    const seconds = (performance.now() - t0) / 1000;
    const writesPerSecond = plan.length / seconds;
    return { writesPerSecond, taskRunsPerSecond: writesPerSecond / writesPerTaskRun, writesPerTaskRun };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
