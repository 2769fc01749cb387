/**
 * Files of configMap, secret, downwardAPI and projected volumes: computed as a set of (relative path → bytes,
 * mode), then written into the volume's host directory (each file atomically, so downward files can be
 * refreshed while containers read them).
 */
import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import type { Pod } from '../../api/types.js';
import { fieldValue } from './downward.js';
import { ConfigError, type KeyData, type SourceCache } from './sources.js';

/** Relative path → content and mode. */
export type FileSet = Map<string, { data: Buffer; mode: number }>;

interface KeyToPath { key: string; path: string; mode?: number }
interface KeyedSource { name?: string; secretName?: string; items?: KeyToPath[]; optional?: boolean; defaultMode?: number }
interface DownwardItem { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: unknown; mode?: number }

function safeRel(p: string): string {
  const norm = path.posix.normalize(p);
  if (path.posix.isAbsolute(norm) || norm.startsWith('..')) throw new ConfigError(`invalid volume item path "${p}"`);
  return norm;
}

function keyedFiles(data: KeyData, src: KeyedSource, defaultMode: number, what: string): FileSet {
  const out: FileSet = new Map();
  const mode = src.defaultMode ?? defaultMode;
  if (!src.items) {
    for (const [k, v] of data) out.set(safeRel(k), { data: v, mode });
    return out;
  }
  for (const it of src.items) {
    const v = data.get(it.key);
    if (v === undefined) {
      if (src.optional) continue;
      throw new ConfigError(`configuration key "${it.key}" not found in ${what}`);
    }
    out.set(safeRel(it.path), { data: v, mode: it.mode ?? mode });
  }
  return out;
}

/** Files of a configMap volume (or projected configMap source). */
export async function configMapFiles(src: KeyedSource, sources: SourceCache, defaultMode = 0o644): Promise<FileSet> {
  const name = src.name ?? '';
  const data = await sources.need('configmap', name, src.optional);
  return keyedFiles(data, src, defaultMode, `ConfigMap ${name}`);
}

/** Files of a secret volume (or projected secret source, whose name field is `name`). */
export async function secretFiles(src: KeyedSource, sources: SourceCache, defaultMode = 0o644): Promise<FileSet> {
  const name = src.secretName ?? src.name ?? '';
  const data = await sources.need('secret', name, src.optional);
  return keyedFiles(data, src, defaultMode, `Secret ${name}`);
}

/** Files of a downwardAPI volume (or projected downwardAPI source). */
export function downwardFiles(pod: Pod, items: DownwardItem[], nodeName: string, defaultMode = 0o644): FileSet {
  const out: FileSet = new Map();
  for (const it of items) {
    let v = '';
    if (it.fieldRef) {
      const got = fieldValue(pod, it.fieldRef.fieldPath, nodeName);
      if (got === undefined) throw new ConfigError(`downwardAPI: unsupported fieldPath ${it.fieldRef.fieldPath}`);
      v = got;
    }
    out.set(safeRel(it.path), { data: Buffer.from(v, 'utf8'), mode: it.mode ?? defaultMode });
  }
  return out;
}

/** Files of a projected volume; `downwardOnly` computes only the downwardAPI sources (for refreshes). */
export async function projectedFiles(pod: Pod, spec: { sources: Array<Record<string, unknown>>; defaultMode?: number }, sources: SourceCache, nodeName: string): Promise<FileSet> {
  const mode = spec.defaultMode ?? 0o644;
  const out: FileSet = new Map();
  for (const s of spec.sources) {
    let part: FileSet = new Map();
    if (s.configMap) part = await configMapFiles(s.configMap as KeyedSource, sources, mode);
    else if (s.secret) part = await secretFiles(s.secret as KeyedSource, sources, mode);
    else if (s.downwardAPI) part = downwardFiles(pod, ((s.downwardAPI as { items?: DownwardItem[] }).items ?? []), nodeName, mode);
    else if (s.serviceAccountToken) {
      const p = (s.serviceAccountToken as { path?: string }).path ?? 'token';
      part.set(safeRel(p), { data: Buffer.alloc(0), mode });
    }
    for (const [k, v] of part) out.set(k, v);
  }
  return out;
}

/** Writes the files under `dir`; with `onlyChanged`, files whose content is already right are left alone. */
export async function writeFileSet(dir: string, files: FileSet, onlyChanged = false): Promise<void> {
  for (const [rel, f] of files) {
    const target = path.join(dir, rel);
    if (onlyChanged) {
      const old = await readFile(target).catch(() => undefined);
      if (old && old.equals(f.data)) continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = path.join(path.dirname(target), `..${path.basename(target)}.tmp`);
    await writeFile(tmp, f.data);
    await chmod(tmp, f.mode);
    await rename(tmp, target);
  }
}
