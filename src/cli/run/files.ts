/**
 * Reading the inputs of `tkt run`: files and directories (every .yaml/.yml/.json below, in name order), or
 * `-` for stdin; every document parsed and validated up front. All problems are reported together, each
 * naming the file, document, object and field path (exit 2); nothing is started.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { convertObject, needsConversion, objectWithoutNulls, V1 } from '../../api/convert/index.js';
import { kindFor } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { UsageError } from '../errors.js';

/** An object read from a file, with where it came from (`file: document 2 (line 14)`). */
export interface LoadedObject {
  obj: KubeObject;
  where: string;
}

/** The parser and validator (src/api), injected so this module stays testable before they land. */
export interface ManifestTools {
  parseManifests(text: string, file: string): { objects: KubeObject[]; errors: string[] };
  sourceOf?(obj: object): { file: string; document: number; line: number } | undefined;
  validateObject?(obj: unknown): { ok: boolean; errors: Array<{ path: string; message: string }>; warnings: Array<{ path: string; message: string }> };
}

const MANIFEST = /\.(ya?ml|json)$/i;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else if (MANIFEST.test(entry.name)) out.push(p);
  }
  return out;
}

/** Files found by walking a directory (not named on the command line): those that are not Kubernetes YAML are skipped. */
const foundInDirectory = new Set<string>();

/** Expands the `-f` arguments into files (`-` stays as is). */
export function expandPaths(paths: string[], cwd: string): string[] {
  const files: string[] = [];
  foundInDirectory.clear(); // one invocation's paths only
  for (const p of paths) {
    if (p === '-') {
      files.push(p);
      continue;
    }
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = walk(abs);
      if (found.length === 0) throw new UsageError(`${p}: no .yaml, .yml or .json files in this directory`);
      for (const f of found) foundInDirectory.add(f);
      files.push(...found);
    } else files.push(abs);
  }
  return files;
}

function describe(obj: KubeObject): string {
  return `${obj.kind ?? '(no kind)'} "${obj.metadata?.name ?? obj.metadata?.generateName ?? '(no name)'}"`;
}

/**
 * Why a file met while walking a directory is not one to run (none of its documents is an object of a kind tektite
 * knows: a package.json, a Kustomization, a CI config), or undefined when it is.
 */
function notManifest(name: string, parsed: { objects: KubeObject[]; errors: string[] }): string | undefined {
  if (!foundInDirectory.has(name)) return undefined;
  if (parsed.objects.some((o) => kindFor(o.apiVersion ?? '', o.kind ?? ''))) return undefined;
  const kinds = [...new Set(parsed.objects.map((o) => o.kind).filter(Boolean))];
  return `not Tekton or Kubernetes YAML${kinds.length > 0 ? ` (kind ${kinds.join(', ')})` : ''}`;
}

/** Parses and validates every document; throws one UsageError listing every problem. Warnings go to `warn`. */
export function loadObjects(files: Array<{ name: string; text: string }>, tools: ManifestTools, warn: (msg: string) => void): LoadedObject[] {
  const errors: string[] = [];
  const out: LoadedObject[] = [];
  for (const f of files) {
    const parsed = tools.parseManifests(f.text, f.name);
    const skip = notManifest(f.name, parsed);
    if (skip) {
      warn(`skipping ${f.name}: ${skip}`);
      continue;
    }
    errors.push(...parsed.errors);
    parsed.objects.forEach((raw, i) => {
      const src = tools.sourceOf?.(raw);
      const obj = raw.apiVersion?.startsWith('tekton.dev/') ? objectWithoutNulls(raw) : raw; // as Tekton's Go types decode it
      const where = src ? `${src.file}: document ${src.document} (line ${src.line})` : `${f.name}: object ${i + 1}`;
      if (!kindFor(obj.apiVersion ?? '', obj.kind ?? '')) return void errors.push(`${where}: unknown kind ${obj.kind ?? '(none)'} in apiVersion ${obj.apiVersion ?? '(none)'}`);
      const v = tools.validateObject?.(obj);
      for (const e of v?.errors ?? []) errors.push(`${where}: ${describe(obj)}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
      for (const w of v?.warnings ?? []) warn(`${where}: ${describe(obj)}: warning: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      // v1beta1 documents run as their v1 conversion (validated above as written, as Tekton's webhook does).
      if (!v || v.ok) out.push({ obj: needsConversion(obj) ? convertObject(obj, V1) : obj, where });
    });
  }
  if (errors.length > 0) throw new UsageError(`invalid input, nothing was run:\n  ${errors.join('\n  ')}`);
  if (out.length === 0) throw new UsageError('the files contain no objects');
  return out;
}

/** Reads the files (stdin for `-`). */
export async function readFiles(files: string[], stdin: NodeJS.ReadableStream): Promise<Array<{ name: string; text: string }>> {
  const out: Array<{ name: string; text: string }> = [];
  for (const f of files) {
    if (f === '-') {
      const chunks: Buffer[] = [];
      for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
      out.push({ name: '<stdin>', text: Buffer.concat(chunks).toString('utf8') });
    } else out.push({ name: f, text: readFileSync(f, 'utf8') });
  }
  return out;
}
