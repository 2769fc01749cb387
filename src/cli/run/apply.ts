/**
 * Applying the plan of `tkt run` to the embedded API server: namespaces first, then config and definitions,
 * runs last, after a server-side dry-run of every document (nothing is stored when any is rejected).
 * Definitions that already exist (a reused --data-dir) are replaced; an object the server rejects is a usage
 * error naming its file and document.
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

const KIND_NAMESPACE = { apiVersion: 'v1', kind: 'Namespace' };

/** Annotation asking the embedded provisioner to bind a claim to this host directory. */
export const HOST_PATH_ANNOTATION = 'tektite.dev/host-path';

function rejected(where: string, obj: KubeObject, err: unknown): Error {
  if (err instanceof ApiError && err.code >= 400 && err.code < 500) {
    return new UsageError(`${where}: ${obj.kind} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" was rejected: ${err.message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Creates a namespace unless it exists; true when this call created it. */
async function ensureNamespace(client: KubeClient, ns: KubeObject): Promise<boolean> {
  try {
    await client.create(ns);
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}

function runRejected(r: PlannedRun, err: unknown): Error {
  if (isAlreadyExists(err)) return new UsageError(`${r.where}: ${r.obj.kind} "${r.obj.metadata.name ?? ''}" already exists in this data dir; delete it (tkt ${r.obj.kind.toLowerCase()} delete) or use metadata.generateName`);
  return rejected(r.where, r.obj, err);
}

async function createOrReplace(client: KubeClient, obj: KubeObject, dryRun = false): Promise<void> {
  try {
    await client.create(obj, { dryRun });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const current = await client.get(obj, obj.metadata.namespace, obj.metadata.name ?? '');
    await client.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } }, { dryRun });
  }
}

/**
 * Creates the namespaces the objects and runs live in (as given by Namespace documents, else plain) that do
 * not exist yet; answers the names it created. Namespace documents that already exist are left to the apply.
 */
async function createNamespaces(client: KubeClient, sorted: LoadedObject[], runs: PlannedRun[], created: string[]): Promise<void> {
  const docs = new Map(sorted.filter((o) => o.obj.kind === 'Namespace').map((o) => [o.obj.metadata.name ?? '', o]));
  const wanted = new Set([...docs.keys(), ...[...sorted.map((s) => s.obj), ...runs.map((r) => r.obj)].map((o) => o.metadata.namespace ?? '')]);
  for (const ns of wanted) {
    if (!ns) continue;
    const doc = docs.get(ns);
    try {
      if (await ensureNamespace(client, doc?.obj ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })) created.push(ns);
    } catch (err) {
      throw doc ? rejected(doc.where, doc.obj, err) : err;
    }
  }
}

/** A run as the dry-run sees it: `dir=PATH` workspaces (bound to claims only after the dry-run) as emptyDir. */
function dryRunObject(r: PlannedRun): KubeObject {
  if (r.dirs.size === 0) return r.obj;
  const spec = r.obj.spec as { workspaces?: WorkspaceBinding[] };
  const workspaces = (spec.workspaces ?? []).map((b) => (r.dirs.has(b.name) ? { name: b.name, emptyDir: {} } : b));
  return { ...r.obj, spec: { ...spec, workspaces } };
}

/** Server-side dry-run of every object and run (`dryRun=All`): the first rejection is thrown, nothing is stored. */
async function dryRunAll(client: KubeClient, objects: LoadedObject[], runs: PlannedRun[]): Promise<void> {
  for (const { obj, where } of objects) {
    try {
      await createOrReplace(client, obj, true);
    } catch (err) {
      throw rejected(where, obj, err);
    }
  }
  const names = new Set<string>();
  for (const r of runs) {
    const key = `${r.obj.kind}/${r.obj.metadata.namespace ?? ''}/${r.obj.metadata.name ?? ''}`;
    if (r.obj.metadata.name && names.has(key)) throw new UsageError(`${r.where}: ${r.obj.kind} "${r.obj.metadata.name}" is given twice; give each run its own name or use metadata.generateName`);
    names.add(key);
    try {
      await client.create(dryRunObject(r), { dryRun: true });
    } catch (err) {
      throw runRejected(r, err);
    }
  }
}

/** Deletes the namespaces and waits (a few seconds at most) until the server has emptied and removed them. */
async function removeNamespaces(client: KubeClient, names: string[]): Promise<void> {
  for (const name of names) await client.delete(KIND_NAMESPACE, undefined, name).catch(() => undefined);
  for (let i = 0; i < 100 && names.length > 0; i++) {
    const left = await Promise.all(names.map((n) => client.tryGet(KIND_NAMESPACE, undefined, n).catch(() => undefined)));
    if (left.every((o) => o === undefined)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Applies the non-run objects in dependency order, atomically as far as the server can tell: namespaces
 * first, then a server-side dry-run of every object and run; only when all pass is anything else written. On a
 * rejection the namespaces created here are removed again, so the data dir is as it was.
 */
export async function applyObjects(client: KubeClient, objects: LoadedObject[], runs: PlannedRun[]): Promise<void> {
  const sorted = [...objects].sort((a, b) => (RANK[a.obj.kind] ?? 8) - (RANK[b.obj.kind] ?? 8));
  const created: string[] = [];
  try {
    await createNamespaces(client, sorted, runs, created);
    await dryRunAll(client, sorted.filter((o) => !(o.obj.kind === 'Namespace' && created.includes(o.obj.metadata.name ?? ''))), runs);
  } catch (err) {
    await removeNamespaces(client, created);
    throw err;
  }
  for (const { obj, where } of sorted) {
    if (obj.kind === 'Namespace' && created.includes(obj.metadata.name ?? '')) continue;
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
      throw runRejected(r, err);
    }
  }
  return created;
}
