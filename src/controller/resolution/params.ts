/**
 * Reading resolver params: string values by name, required ones with a clear error, the `kind` param, a
 * description of a reference for messages (secrets never named with their values), and run params substituted
 * into resolver params as Tekton does (`$(params.x)` in a taskRef's resolver params).
 */
import type { Param, ParamValue } from '../../api/types.js';
import { addValue, emptyReplacements, replaceDeep } from '../../engine/substitution/replace.js';
import type { ExpectedKind, ResolveRequest } from './types.js';
import { ResolutionError } from './types.js';

/** The string value of a param, or undefined when absent or empty. */
export function paramOf(req: ResolveRequest, name: string): string | undefined {
  const p = req.params.find((x) => x.name === name);
  if (!p) return undefined;
  if (typeof p.value !== 'string') throw new ResolutionError(`param "${name}" must be a string`);
  return p.value === '' ? undefined : p.value;
}

/** The string value of a required param. */
export function requiredParam(req: ResolveRequest, name: string): string {
  const v = paramOf(req, name);
  if (v === undefined) throw new ResolutionError(`missing required param "${name}"`);
  return v;
}

const KINDS: Record<string, ExpectedKind> = { task: 'task', pipeline: 'pipeline', stepaction: 'stepaction' };

/** The `kind` param (task, pipeline, stepaction; any case), defaulting to the kind the reference expects. */
export function kindParam(req: ResolveRequest): ExpectedKind {
  const raw = paramOf(req, 'kind');
  if (raw === undefined) return req.kind;
  const kind = KINDS[raw.toLowerCase()];
  if (!kind) throw new ResolutionError(`param "kind" must be task, pipeline or stepaction, not "${raw}"`);
  return kind;
}

const SECRET_PARAMS = new Set(['token', 'tokenKey', 'gitToken', 'gitTokenKey', 'http-password-secret', 'http-password-secret-key', 'secret']);

/** `scheme://user:password@host/…` with the credentials hidden. */
export function redactUrl(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}

/** `resolver "git" (url=…, revision=…, pathInRepo=…)` for messages; names of secrets are kept, never values. */
export function describeRef(resolver: string, params: readonly Param[]): string {
  const shown = params
    .filter((p) => !SECRET_PARAMS.has(p.name))
    .map((p) => `${p.name}=${redactUrl(typeof p.value === 'string' ? p.value : JSON.stringify(p.value))}`);
  return `resolver "${resolver}"${shown.length ? ` (${shown.join(', ')})` : ''}`;
}

/** Resolver params with `$(params.<name>)` of the run replaced (one pass; unknown references stay). */
export function substituteRunParams(params: readonly Param[], runParams: readonly Param[] | undefined): Param[] {
  if (!runParams?.length) return [...params];
  const r = emptyReplacements();
  for (const p of runParams) addValue(r, `params.${p.name}`, p.value as ParamValue);
  return replaceDeep([...params], r);
}
