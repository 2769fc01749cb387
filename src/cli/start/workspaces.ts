/**
 * `-w` flags. tkn's form is comma-separated key=value pairs: `name=src,emptyDir=`, `name=src,claimName=pvc`,
 * `name=cfg,config=cm,item=key=path`, `name=s,secret=s`, `name=src,subPath=dir`. tkt also accepts the short form
 * `src=emptyDir` and `src=dir=PATH` (a host directory, embedded mode only: `tkt run`).
 */
import type { WorkspaceBinding } from '../../api/types.js';
import { UsageError } from '../errors.js';

/** A parsed `-w` flag: the binding, plus the host directory for `dir=PATH`. */
export interface WorkspaceFlag {
  binding: WorkspaceBinding;
  /** Host directory to bind (embedded mode); the binding's claim is filled in by the caller. */
  dir?: string;
}

const KEYS = new Set(['name', 'subPath', 'emptyDir', 'claimName', 'config', 'secret', 'item', 'dir']);

function pairs(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of text.split(',')) {
    if (part === '') continue;
    const i = part.indexOf('=');
    const key = i < 0 ? part : part.slice(0, i);
    if (!KEYS.has(key)) throw new UsageError(`invalid workspace "${text}": unknown key "${key}" (use name, subPath, emptyDir, claimName, config, secret, item, dir)`);
    out.push([key, i < 0 ? '' : part.slice(i + 1)]);
  }
  return out;
}

function items(values: string[]): Array<{ key: string; path: string }> | undefined {
  if (values.length === 0) return undefined;
  return values.map((v) => {
    const i = v.indexOf('=');
    return i < 0 ? { key: v, path: v } : { key: v.slice(0, i), path: v.slice(i + 1) };
  });
}

function toBinding(name: string, kv: Array<[string, string]>, flag: string): WorkspaceFlag {
  const get = (k: string): string | undefined => kv.find(([key]) => key === k)?.[1];
  const its = items(kv.filter(([k]) => k === 'item').map(([, v]) => v));
  const b: WorkspaceBinding = { name };
  const sub = get('subPath');
  if (sub) b.subPath = sub;
  const kinds = ['emptyDir', 'claimName', 'config', 'secret', 'dir'].filter((k) => get(k) !== undefined);
  if (kinds.length !== 1) throw new UsageError(`invalid workspace "${flag}": give exactly one of emptyDir=, claimName=, config=, secret=, dir=`);
  const value = get(kinds[0] ?? '') ?? '';
  switch (kinds[0]) {
    case 'emptyDir': b.emptyDir = value ? { medium: value } : {}; break;
    case 'claimName': b.persistentVolumeClaim = { claimName: value }; break;
    case 'config': b.configMap = { name: value, ...(its ? { items: its } : {}) }; break;
    case 'secret': b.secret = { secretName: value, ...(its ? { items: its } : {}) }; break;
    default:
      if (!value) throw new UsageError(`invalid workspace "${flag}": dir= needs a path`);
      return { binding: b, dir: value };
  }
  return { binding: b };
}

/** Parses one `-w` flag. */
export function parseWorkspaceFlag(flag: string): WorkspaceFlag {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid workspace "${flag}": expected name=<ws>,emptyDir= or <ws>=emptyDir or <ws>=dir=PATH`);
  const head = flag.slice(0, eq);
  if (head === 'name') {
    const kv = pairs(flag);
    const name = kv.find(([k]) => k === 'name')?.[1];
    if (!name) throw new UsageError(`invalid workspace "${flag}": name= is empty`);
    return toBinding(name, kv.filter(([k]) => k !== 'name'), flag);
  }
  const rest = flag.slice(eq + 1);
  if (rest === 'emptyDir') return { binding: { name: head, emptyDir: {} } };
  return toBinding(head, pairs(rest), flag);
}

/** Checks the bindings against declared workspaces: unknown names, and required ones left unbound. */
export function checkWorkspaces(bound: WorkspaceBinding[], declared: Array<{ name: string; optional?: boolean }>, owner: string): void {
  const names = new Set(declared.map((d) => d.name));
  const unknown = bound.filter((b) => !names.has(b.name)).map((b) => `"${b.name}"`);
  const list = declared.map((d) => `  ${d.name}${d.optional ? ' (optional)' : ''}`).join('\n') || '  (no workspaces)';
  if (unknown.length > 0) throw new UsageError(`workspace(s) ${unknown.join(', ')} not declared by ${owner}. It declares:\n${list}`);
  const missing = declared.filter((d) => !d.optional && !bound.some((b) => b.name === d.name)).map((d) => `"${d.name}"`);
  if (missing.length > 0) throw new UsageError(`${owner} needs workspace(s) ${missing.join(', ')}. It declares:\n${list}\nBind them with -w name=<ws>,emptyDir= (or claimName=, config=, secret=).`);
}
