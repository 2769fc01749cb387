/**
 * Applying the plan of `tkt run` to the embedded API server: namespaces first, then config and definitions,
 * runs last. Definitions that already exist (a reused --data-dir) are replaced; an object the server rejects
 * is a usage error naming its file and document.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KubeObject, WorkspaceBinding } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';
import { ApiError, isAlreadyExists } from '../../kube/errors.js';
import { UsageError } from '../errors.js';
import type { LoadedObject } from './files.js';
import type { PlannedRun } from './plan.js';

const RANK: Record<string, number> = {
  Namespace: 0, CustomResourceDefinition: 1, ServiceAccount: 2, Role: 2, ClusterRole: 2, RoleBinding: 3, ClusterRoleBinding: 3,
  ConfigMap: 4, Secret: 4, PersistentVolumeClaim: 4, StepAction: 5, Task: 6, Pipeline: 7,
};

/** Annotation asking the embedded provisioner to bind a claim to this host directory. */
export const HOST_PATH_ANNOTATION = 'tektite.dev/host-path';

function rejected(where: string, obj: KubeObject, err: unknown): Error {
  if (err instanceof ApiError && err.code >= 400 && err.code < 500) {
    return new UsageError(`${where}: ${obj.kind} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" was rejected: ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

async function ensureNamespace(client: KubeClient, ns: string | undefined, seen: Set<string>): Promise<void> {
  if (!ns || seen.has(ns)) return;
  seen.add(ns);
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

async function createOrReplace(client: KubeClient, obj: KubeObject): Promise<void> {
  try {
    await client.create(obj);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const current = await client.get(obj, obj.metadata.namespace, obj.metadata.name ?? '');
    await client.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } });
  }
}

/** Applies the non-run objects in dependency order. */
export async function applyObjects(client: KubeClient, objects: LoadedObject[], runs: PlannedRun[]): Promise<void> {
  const namespaces = new Set<string>(objects.filter((o) => o.obj.kind === 'Namespace').map((o) => o.obj.metadata.name ?? ''));
  const sorted = [...objects].sort((a, b) => (RANK[a.obj.kind] ?? 8) - (RANK[b.obj.kind] ?? 8));
  const seen = new Set<string>();
  for (const o of [...sorted.map((s) => s.obj), ...runs.map((r) => r.obj)]) {
    if (!namespaces.has(o.metadata.namespace ?? '')) await ensureNamespace(client, o.metadata.namespace, seen);
  }
  for (const { obj, where } of sorted) {
    try {
      await createOrReplace(client, obj);
    } catch (err) {
      throw rejected(where, obj, err);
    }
  }
}

/**
 * Binds `dir=PATH` workspaces: a claim annotated with the host path, whose provisioned directory
 * (`<dataDir>/pv/<ns>/<claim>`) is a symlink to PATH.
 */
export async function bindDirWorkspaces(client: KubeClient, dataDir: string, cwd: string, run: PlannedRun): Promise<void> {
  const ns = run.obj.metadata.namespace ?? 'default';
  const spec = run.obj.spec as { workspaces?: WorkspaceBinding[] };
  for (const [ws, dir] of run.dirs) {
    const host = resolve(cwd, dir);
    if (!existsSync(host)) mkdirSync(host, { recursive: true });
    const claim = `tkt-dir-${createHash('sha256').update(host).digest('hex').slice(0, 10)}`;
    const link = join(dataDir, 'pv', encodeURIComponent(ns), encodeURIComponent(claim));
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) symlinkSync(host, link, 'dir');
    const pvc = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: { name: claim, namespace: ns, annotations: { [HOST_PATH_ANNOTATION]: host } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    try {
      await client.create(pvc);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    for (const b of spec.workspaces ?? []) if (b.name === ws) b.persistentVolumeClaim = { claimName: claim };
  }
}

/** Creates the runs; answers them as created (names filled in from generateName). */
export async function createRuns(client: KubeClient, runs: PlannedRun[]): Promise<KubeObject[]> {
  const created: KubeObject[] = [];
  for (const r of runs) {
    try {
      created.push(await client.create(r.obj));
    } catch (err) {
      if (isAlreadyExists(err)) throw new UsageError(`${r.where}: ${r.obj.kind} "${r.obj.metadata.name ?? ''}" already exists in this data dir; delete it (tkt ${r.obj.kind.toLowerCase()} delete) or use metadata.generateName`);
      throw rejected(r.where, r.obj, err);
    }
  }
  return created;
}
