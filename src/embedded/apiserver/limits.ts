/**
 * Limits kube-apiserver puts on user input, checked before any other code sees a body: nesting depth (a
 * deeply nested object would exhaust the stack of every recursive walk), the 1 MiB of data of a ConfigMap or
 * Secret, and the key syntax of their data (keys become file names in volumes).
 */
import { joinPath, type Segment } from '../../api/validate/field-errors.js';
import { StatusError } from './errors.js';

/**
 * Deepest nesting of objects/lists accepted in a body. kube-apiserver's JSON decoder stops at 10,000 levels;
 * tektite stops far earlier (real objects, CRD schemas included, stay under 40 levels) so that no recursive
 * walk of the server, controllers or CLI can overflow its stack.
 */
export const MAX_DEPTH = 100;

/** Kubernetes' `MaxSecretSize`: the data of one ConfigMap or Secret. */
export const MAX_DATA_BYTES = 1024 * 1024;

interface Node { v: unknown; depth: number; key?: Segment; parent?: Node }

function pathOf(n: Node): Segment[] {
  const out: Segment[] = [];
  for (let c: Node | undefined = n; c?.key !== undefined; c = c.parent) out.unshift(c.key);
  return out;
}

/** The path of the first value nested deeper than `max` levels, or undefined. Iterative: never recurses. */
export function tooDeepAt(value: unknown, max = MAX_DEPTH): Segment[] | undefined {
  const stack: Node[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    const v = n.v;
    if (v === null || typeof v !== 'object') continue;
    if (n.depth >= max) return pathOf(n);
    const depth = n.depth + 1;
    if (Array.isArray(v)) v.forEach((x: unknown, i) => { if (x !== null && typeof x === 'object') stack.push({ v: x, depth, key: i, parent: n }); });
    else for (const k in v) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') stack.push({ v: x, depth, key: k, parent: n });
    }
  }
  return undefined;
}

/** Throws 400 (with the field path as a cause) when `value` is nested deeper than {@link MAX_DEPTH}. */
export function checkDepth(value: unknown): void {
  const at = tooDeepAt(value);
  if (!at) return;
  const shown = at.length > 12 ? [...at.slice(0, 6), '…', ...at.slice(-3)] : at;
  const field = joinPath('', ...shown);
  const message = `the object is nested more than ${MAX_DEPTH} levels deep at ${field}; flatten it`;
  throw new StatusError(400, 'BadRequest', message, { causes: [{ reason: 'FieldValueInvalid', message, field }] });
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function keyProblem(key: string): string | undefined {
  if (key.length > 253) return `Invalid value: "${key.slice(0, 40)}…": must be no more than 253 characters`;
  if (!CONFIG_KEY.test(key)) {
    return `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`;
  }
  if (key === '.' || key === '..') return `Invalid value: "${key}": must not be '.' or '..'`;
  if (key.startsWith('..')) return `Invalid value: "${key}": must not start with '..'`;
  return undefined;
}

function base64Bytes(s: string): number | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  return Buffer.from(s, 'base64').length;
}

type Issue = { path: string; message: string };

function checkMap(issues: Issue[], field: string, map: unknown, base64: boolean): number {
  if (!map || typeof map !== 'object') return 0;
  let size = 0;
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) {
    const problem = keyProblem(k);
    if (problem) issues.push({ path: `${field}[${k}]`, message: problem });
    const value = String(v);
    const bytes = base64 ? base64Bytes(value) : Buffer.byteLength(value);
    if (bytes === undefined) issues.push({ path: `${field}[${k}]`, message: `Invalid value: illegal base64 data; encode the value with base64 or give it in stringData` });
    size += k.length + (bytes ?? value.length);
  }
  return size;
}

/** Config keys and the 1 MiB data limit of a ConfigMap or Secret; answers the problems found. */
export function dataIssues(kind: string, obj: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  let size = 0;
  if (kind === 'ConfigMap') {
    size = checkMap(issues, 'data', obj.data, false) + checkMap(issues, 'binaryData', obj.binaryData, true);
  } else if (kind === 'Secret') {
    size = checkMap(issues, 'data', obj.data, true) + checkMap(issues, 'stringData', obj.stringData, false);
  } else {
    return issues;
  }
  if (size > MAX_DATA_BYTES) issues.push({ path: 'data', message: `Too long: must have at most ${MAX_DATA_BYTES} bytes` });
  return issues;
}
