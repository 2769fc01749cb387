/**
 * Loading manifests from YAML (or JSON) text: multi-document, empty documents skipped, `kind: List` expanded,
 * and every problem reported with the file, the document number and the line — never a stack trace.
 * YAML 1.1 rules are used, as kubectl does (`yes`/`on` are booleans, `0755` is octal), except that timestamps
 * stay strings.
 */
import { type Document, LineCounter, parseAllDocuments, type ScalarTag, type Tags } from 'yaml';
import type { KubeObject } from './types.js';

/** The objects of a file and the problems found; objects of broken documents are left out. */
export interface ParsedManifests {
  objects: KubeObject[];
  errors: string[];
}

/** Also accepted for internal use: where each returned object came from (1-based document and line). */
export interface ManifestSource {
  file: string;
  document: number;
  line: number;
}

const sources = new WeakMap<object, ManifestSource>();

/** The file, document and line an object returned by {@link parseManifests} came from. */
export function sourceOf(obj: object): ManifestSource | undefined {
  return sources.get(obj);
}

/** A YAML 1.1 float needs a digit (kubectl's go-yaml reads `.` and `._` as strings; `default: .` is a path). */
const FLOAT_WITH_DIGIT = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)$/;

/** YAML 1.1 without timestamps and sexagesimal numbers (`1:30` stays a string, as with kubectl). */
const noTimestamps = (tags: Tags): Tags =>
  tags.filter((t) => typeof t === 'string' ? t !== 'timestamp' && !t.endsWith('Time') : t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')
    .map((t): Tags[number] => (typeof t !== 'string' && !('collection' in t && t.collection) && t.tag === 'tag:yaml.org,2002:float' && !t.format && String(t.test).includes('\\.[0-9_]*$')
      ? { ...(t as ScalarTag), test: FLOAT_WITH_DIGIT } : t));

/** Parses every document of `text`; `file` is only used in messages. */
export function parseManifests(text: string, file: string): ParsedManifests {
  const out: ParsedManifests = { objects: [], errors: [] };
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { version: '1.1', customTags: noTimestamps, lineCounter: lines, prettyErrors: false }) as Document.Parsed[];
  } catch (e) {
    out.errors.push(`${file}: cannot parse YAML: ${e instanceof Error ? e.message : String(e)}`);
    return out;
  }
  if (!Array.isArray(docs)) docs = [docs];
  docs.forEach((doc, i) => {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    addDocument(out, doc, { file, document: i + 1, line: lines.linePos(start).line }, lines);
  });
  return out;
}

function where(src: ManifestSource, line = src.line): string {
  return `${src.file}: document ${src.document} (line ${line})`;
}

function addDocument(out: ParsedManifests, doc: Document.Parsed, src: ManifestSource, lines: LineCounter): void {
  const err = doc.errors[0];
  if (err) {
    // Only the first error: later ones in the same document are usually consequences of it.
    const line = err.linePos?.[0]?.line ?? lines.linePos(err.pos[0]).line;
    out.errors.push(`${where(src, line)}: invalid YAML: ${firstLine(err.message)}`);
    return;
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    out.errors.push(`${where(src)}: ${e instanceof Error ? firstLine(e.message) : String(e)}`);
    return;
  }
  if (value === null || value === undefined) return;
  if (isList(value)) {
    const items = (value as { items?: unknown }).items;
    if (!Array.isArray(items)) {
      out.errors.push(`${where(src)}: kind List needs an "items" list`);
      return;
    }
    items.forEach((item, j) => addObject(out, item, src, `items[${j}]`));
    return;
  }
  addObject(out, value, src, '');
}

function isList(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === 'List';
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function addObject(out: ParsedManifests, value: unknown, src: ManifestSource, at: string): void {
  const prefix = at ? `${where(src)}: ${at}` : where(src);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.errors.push(`${prefix}: expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got ${Array.isArray(value) ? 'a list' : typeof value}`);
    return;
  }
  const o = value as Record<string, unknown>;
  const missing = ['apiVersion', 'kind'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) {
    out.errors.push(`${prefix}: missing ${missing.join(' and ')}; every object needs apiVersion and kind (e.g. apiVersion: tekton.dev/v1, kind: Task)`);
    return;
  }
  if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) {
    out.errors.push(`${prefix}: ${String(o.kind)} has no metadata; add metadata with a name (metadata: {name: my-${String(o.kind).toLowerCase()}})`);
    return;
  }
  sources.set(o, src);
  out.objects.push(o as KubeObject);
}
