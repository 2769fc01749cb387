/**
 * Workspaces as pod volumes and mounts (Tekton's pkg/workspace): one volume `ws-xxxxx` per bound workspace;
 * mounted at the declared mountPath (default /workspace/<name>) with the binding's subPath and the declaration's
 * readOnly. A workspace named in some step's or sidecar's `workspaces` is isolated: only those containers mount it.
 */
import type { TaskRun, TaskSpec, Volume, VolumeMount, WorkspaceBinding, WorkspaceDeclaration, WorkspaceUsage } from '../api/types.js';
import { claimNameForTemplate, workspaceVolumeName } from '../engine/names.js';
import { WORKSPACE_DIR } from './layout.js';

/** A bound workspace: its declaration, binding and pod volume. */
export interface BoundWorkspace {
  decl: WorkspaceDeclaration;
  binding: WorkspaceBinding;
  volume: Volume;
}

type Failure = { ok: false; reason: string; message: string };

/** The volume source of a binding, or undefined when the binding names none. */
function volumeSource(b: WorkspaceBinding, ownerUid: string): Omit<Volume, 'name'> | undefined {
  if (b.persistentVolumeClaim) return { persistentVolumeClaim: { ...b.persistentVolumeClaim } };
  if (b.volumeClaimTemplate) {
    return { persistentVolumeClaim: { claimName: claimNameForTemplate(b.name, ownerUid, b.volumeClaimTemplate.metadata?.name) } };
  }
  if (b.emptyDir) return { emptyDir: { ...b.emptyDir } };
  if (b.configMap) return { configMap: { ...(b.configMap as unknown as NonNullable<Volume['configMap']>) } };
  if (b.secret) return { secret: { ...(b.secret as unknown as NonNullable<Volume['secret']>) } };
  if (b.projected) return { projected: { ...(b.projected as unknown as NonNullable<Volume['projected']>) } };
  if (b.csi) return { csi: { ...b.csi } };
  return undefined;
}

/** Declared workspaces that are bound, with their volumes; optional unbound ones are left out. */
export function boundWorkspaces(taskRun: TaskRun, spec: TaskSpec): { ok: true; workspaces: BoundWorkspace[] } | Failure {
  const bindings = taskRun.spec.workspaces ?? [];
  const out: BoundWorkspace[] = [];
  for (const decl of spec.workspaces ?? []) {
    const binding = bindings.find((b) => b.name === decl.name);
    if (!binding) continue;
    const source = volumeSource(binding, taskRun.metadata.uid ?? '');
    if (!source) {
      return {
        ok: false,
        reason: 'TaskRunValidationFailed',
        message: `workspace binding "${binding.name}" gives no volume source: set one of emptyDir, persistentVolumeClaim, volumeClaimTemplate, configMap, secret, projected or csi`,
      };
    }
    out.push({ decl, binding, volume: { name: workspaceVolumeName(binding.name), ...source } });
  }
  return { ok: true, workspaces: out };
}

/** Names of workspaces that some step or sidecar lists in its own `workspaces` (isolated workspaces). */
export function isolatedWorkspaces(spec: TaskSpec): Set<string> {
  const users = [...spec.steps, ...(spec.sidecars ?? [])];
  return new Set(users.flatMap((u) => (u.workspaces ?? []).map((w) => w.name)));
}

function mountOf(ws: BoundWorkspace, mountPath: string | undefined): VolumeMount {
  const mount: VolumeMount = { name: ws.volume.name, mountPath: mountPath || ws.decl.mountPath || `${WORKSPACE_DIR}/${ws.decl.name}` };
  if (ws.binding.subPath) mount.subPath = ws.binding.subPath;
  if (ws.decl.readOnly) mount.readOnly = true;
  return mount;
}

/**
 * The workspace mounts of one step or sidecar: every non-isolated workspace, plus the isolated ones it lists
 * (at its own mountPath when given).
 */
export function workspaceMounts(all: readonly BoundWorkspace[], isolated: ReadonlySet<string>, usage: readonly WorkspaceUsage[] = []): VolumeMount[] {
  const mounts: VolumeMount[] = [];
  for (const ws of all) {
    const use = usage.find((u) => u.name === ws.decl.name);
    if (use) mounts.push(mountOf(ws, use.mountPath));
    else if (!isolated.has(ws.decl.name)) mounts.push(mountOf(ws, undefined));
  }
  return mounts;
}
