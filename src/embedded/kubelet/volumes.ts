/**
 * Pod volumes as host directories: `<dataDir>/pods/<uid>/volumes/<name>` for emptyDir and the projected kinds,
 * the provisioned directory for a PVC, the path itself for hostPath. csi and other kinds are refused.
 */
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Pod, Volume } from '../../api/types.js';
import { configMapFiles, downwardFiles, projectedFiles, secretFiles, writeFileSet, type FileSet } from './projection.js';
import type { SourceCache } from './sources.js';

/** A volume ready to bind. */
export interface PreparedVolume {
  name: string;
  hostPath: string;
  /** Kubernetes mounts configMap, secret, downwardAPI and projected volumes read-only. */
  readOnly: boolean;
  /** Whether the volume holds downward API files that follow the pod's labels and annotations. */
  downward: boolean;
}

/** A volume kind the kubelet cannot provide: the pod fails. */
export class UnsupportedVolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedVolumeError';
  }
}

/** What volume preparation needs from the kubelet. */
export interface VolumeContext {
  pod: Pod;
  podDir: string;
  nodeName: string;
  sources: SourceCache;
  /** Binds (provisioning if needed) a claim; answers its host directory. */
  claimDir(namespace: string, claim: string): Promise<string>;
  /** False when the runtime reads no host files: directories and files are computed but not created. */
  hostFiles?: boolean;
}

function hasDownward(v: Volume): boolean {
  if (v.downwardAPI) return true;
  return (v.projected?.sources ?? []).some((s) => s.downwardAPI !== undefined);
}

/** Computes the files of a projected-kind volume (configMap, secret, downwardAPI, projected). */
export async function volumeFiles(v: Volume, ctx: VolumeContext): Promise<FileSet | undefined> {
  if (v.configMap) return configMapFiles(v.configMap, ctx.sources);
  if (v.secret) return secretFiles(v.secret, ctx.sources);
  if (v.downwardAPI) return downwardFiles(ctx.pod, (v.downwardAPI.items ?? []) as [], ctx.nodeName, (v.downwardAPI as { defaultMode?: number }).defaultMode);
  if (v.projected) return projectedFiles(ctx.pod, v.projected, ctx.sources, ctx.nodeName);
  return undefined;
}

async function prepareOne(v: Volume, ctx: VolumeContext): Promise<PreparedVolume> {
  const dir = path.join(ctx.podDir, 'volumes', v.name);
  const base = { name: v.name, readOnly: false, downward: false };
  const create = ctx.hostFiles !== false;
  if (v.emptyDir) {
    if (create) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o777);
    }
    return { ...base, hostPath: dir };
  }
  if (v.persistentVolumeClaim) {
    const hostPath = await ctx.claimDir(ctx.pod.metadata.namespace ?? 'default', v.persistentVolumeClaim.claimName);
    return { ...base, hostPath, readOnly: v.persistentVolumeClaim.readOnly === true };
  }
  if (v.hostPath) {
    if (create && (!v.hostPath.type || v.hostPath.type === 'DirectoryOrCreate')) await mkdir(v.hostPath.path, { recursive: true });
    return { ...base, hostPath: v.hostPath.path };
  }
  const files = await volumeFiles(v, ctx);
  if (!files) {
    const kind = Object.keys(v).filter((k) => k !== 'name').join(', ') || 'unknown';
    throw new UnsupportedVolumeError(`volume "${v.name}": volume type ${kind} is not supported by the tektite kubelet`);
  }
  if (create) {
    await mkdir(dir, { recursive: true });
    await writeFileSet(dir, files);
  }
  return { ...base, hostPath: dir, readOnly: true, downward: hasDownward(v) };
}

/** Prepares every volume of the pod. Throws ConfigError (retry later) or UnsupportedVolumeError (fail the pod). */
export async function prepareVolumes(ctx: VolumeContext): Promise<Map<string, PreparedVolume>> {
  const out = new Map<string, PreparedVolume>();
  for (const v of ctx.pod.spec.volumes ?? []) out.set(v.name, await prepareOne(v, ctx));
  return out;
}

/** Rewrites the downward API files of the pod's volumes (after its labels or annotations changed). */
export async function refreshDownward(ctx: VolumeContext, prepared: Map<string, PreparedVolume>): Promise<void> {
  if (ctx.hostFiles === false) return;
  for (const v of ctx.pod.spec.volumes ?? []) {
    const p = prepared.get(v.name);
    if (!p?.downward) continue;
    const files = await volumeFiles(v, ctx);
    if (files) await writeFileSet(p.hostPath, files, true);
  }
}
