/**
 * Turns zod issues into FieldErrors whose paths and messages read like Kubernetes/Tekton ones
 * (`spec.steps[0].imag: unknown field "imag" (did you mean "image"?)`), separating unknown-field issues so the
 * caller can treat them as errors, warnings or nothing (kubectl's fieldValidation Strict/Warn/Ignore).
 */
import type { z } from 'zod';
import { type FieldError, joinPath, type Segment } from './field-errors.js';

/** Known fields of older API versions that tektite does not accept, where they sit, and what to write instead. */
const FIELD_HINTS: ReadonlyArray<{ key: string; where: RegExp; hint: string }> = [
  { key: 'resources', where: /(steps|sidecars)\[\d+\]|stepTemplate/, hint: 'tekton.dev/v1 renamed a container\'s "resources" to "computeResources"' },
  { key: 'resources', where: /^spec(\.|$)|taskSpec|pipelineSpec/, hint: 'PipelineResources were removed from Tekton; use workspaces and params' },
  { key: 'serviceAccountName', where: /^spec$/, hint: 'in a tekton.dev/v1 PipelineRun this is spec.taskRunTemplate.serviceAccountName' },
  { key: 'podTemplate', where: /^spec$/, hint: 'in a tekton.dev/v1 PipelineRun this is spec.taskRunTemplate.podTemplate' },
  { key: 'timeout', where: /^spec$/, hint: 'in a tekton.dev/v1 PipelineRun this is spec.timeouts.pipeline' },
  { key: 'taskServiceAccountName', where: /taskRunSpecs/, hint: 'tekton.dev/v1 calls it "serviceAccountName"' },
  { key: 'taskPodTemplate', where: /taskRunSpecs/, hint: 'tekton.dev/v1 calls it "podTemplate"' },
  { key: 'bundle', where: /Ref$/, hint: 'Tekton bundles are referenced with the "bundles" resolver (resolver: bundles, params: bundle, name, kind)' },
  { key: 'stepOverrides', where: /./, hint: 'tekton.dev/v1 calls it "stepSpecs"' },
  { key: 'sidecarOverrides', where: /./, hint: 'tekton.dev/v1 calls it "sidecarSpecs"' },
];

/** The issues of one parse, split by kind. */
export interface ConvertedIssues {
  errors: FieldError[];
  unknownFields: FieldError[];
}

/** Converts every zod issue; `schema` is used to suggest the field a misspelt key meant. */
export function convertIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType): ConvertedIssues {
  const out: ConvertedIssues = { errors: [], unknownFields: [] };
  for (const issue of issues) {
    const path = issue.path.filter((p): p is Segment => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, path);
      const parent = joinPath('', ...path);
      for (const key of issue.keys) out.unknownFields.push({ path: joinPath(parent, key), message: unknownFieldMessage(key, parent, known) });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      out.errors.push({ path: joinPath('', ...path), message: unionMessage(issue) });
    } else {
      out.errors.push({ path: joinPath('', ...path), message: issueMessage(issue) });
    }
  }
  return out;
}

function unknownFieldMessage(key: string, parent: string, known: string[]): string {
  const hint = FIELD_HINTS.find((h) => h.key === key && h.where.test(parent))?.hint;
  const close = closest(key, known);
  let msg = `unknown field "${key}"`;
  if (hint) msg += `; ${hint}`;
  else if (close) msg += `; did you mean "${close}"?`;
  else msg += known.length > 0 ? `; remove it (allowed here: ${known.join(', ')})` : '; remove it';
  return msg;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `the string "${input.length > 40 ? `${input.slice(0, 40)}…` : input}"`;
  return `${typeof input} ${String(input)}`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        const key = issue.path[issue.path.length - 1];
        return typeof key === 'string' ? `required field "${key}" is missing: add it (${article(issue.expected)})` : `required value is missing (${article(issue.expected)})`;
      }
      return `must be ${article(issue.expected)}, not ${describe(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return `${issue.message}; got ${describe(issue.input)}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = { array: 'a list', object: 'an object', record: 'an object', int: 'an integer', number: 'a number' };
  return names[expected] ?? `a ${expected}`;
}

/** A union failed on every branch: list what the branches wanted, e.g. for ParamValue. */
function unionMessage(issue: z.core.$ZodIssueInvalidUnion): string {
  if (issue.input === undefined) {
    const key = issue.path[issue.path.length - 1];
    const want = issue.message && issue.message !== 'Invalid input' ? issue.message.replace(/^must be /, '') : 'a value';
    return typeof key === 'string' ? `required field "${key}" is missing: add it (${want})` : `required value is missing (${want})`;
  }
  if (issue.message && issue.message !== 'Invalid input') return `${issue.message}; got ${describe(issue.input)}`;
  const expected = new Set<string>();
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first?.code === 'invalid_type' && first.path.length === 0) expected.add(article(first.expected));
    else if (first?.code === 'invalid_type') expected.add(`${article('object')} of ${article(first.expected)}s`);
  }
  const got = describe(issue.input);
  return expected.size > 0 ? `must be ${[...expected].join(' or ')}; got ${got}` : `invalid value: ${got}`;
}

/** The closest known key within edit distance 2 (or differing only in case), if any. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

export interface Def { type: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown; in?: unknown;
  options?: unknown[]; valueType?: unknown; getter?: () => unknown }

export function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Follows wrappers (optional, nullable, pipe, lazy) to the schema that decides the shape. */
export function unwrap(schema: unknown): unknown {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (!d) return s;
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else if (d.type === 'lazy' && d.getter) s = d.getter();
    else return s;
  }
  return s;
}

/** The keys an object schema declares at `path` inside `schema` (empty when unknown). */
export function knownKeysAt(schema: unknown, path: readonly Segment[]): string[] {
  let s = unwrap(schema);
  for (const seg of path) {
    const d = defOf(s);
    if (!d) return [];
    if (d.type === 'object' && typeof seg === 'string') s = d.shape?.[seg];
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else if (d.type === 'union') s = d.options?.find((o) => defOf(unwrap(o))?.type === (typeof seg === 'number' ? 'array' : 'object'));
    else return [];
    s = unwrap(s);
  }
  const d = defOf(s);
  return d?.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}
