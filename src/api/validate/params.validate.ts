/**
 * Checks of declared params (ParamSpec lists of Tasks, Pipelines, StepActions) and supplied params:
 * name format, case-insensitive uniqueness, type against default value, object properties, enums.
 */
import type { Param, ParamSpec, ParamType, ParamValue } from '../types.js';
import { checkUnique, type FieldErrors, joinPath } from './field-errors.js';

const STRING_OR_ARRAY_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;

/** The JSON shape of a value: `string`, `array` or `object`. */
export function valueType(v: ParamValue | undefined): ParamType | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

/** A ParamSpec's effective type: declared, else inferred from its default (Tekton's defaulting), else string. */
export function effectiveType(p: Pick<ParamSpec, 'type' | 'default' | 'properties'>): ParamType {
  return p.type ?? valueType(p.default) ?? (p.properties ? 'object' : 'string');
}

/** Validates a list of declared params at `base` (e.g. `spec.params`). */
export function validateParamSpecs(errs: FieldErrors, params: readonly ParamSpec[] | undefined, base: string): void {
  checkUnique(errs, params, base, 'name', (p) => p.name, 'param name', { caseInsensitive: true });
  (params ?? []).forEach((p, i) => validateParamSpec(errs, p, joinPath(base, i)));
}

function validateParamSpec(errs: FieldErrors, p: ParamSpec, at: string): void {
  const type = effectiveType(p);
  if (type === 'object' ? !OBJECT_NAME.test(p.name) : !STRING_OR_ARRAY_NAME.test(p.name)) {
    const rule = type === 'object' ? 'letters, digits, "_" and "-"' : 'letters, digits, "_", "-" and "."';
    errs.add(joinPath(at, 'name'), `invalid param name "${p.name}": it must start with a letter or "_" and contain only ${rule}`);
  }
  const dt = valueType(p.default);
  if (p.type && dt && dt !== p.type) {
    errs.add(joinPath(at, 'default'), `param "${p.name}" has type "${p.type}" but its default is ${article(dt)}; make them agree`);
  }
  if (type === 'object') validateObjectParam(errs, p, at);
  else if (p.properties) errs.add(joinPath(at, 'properties'), `"properties" is only allowed for object params; set type: object or remove it`);
  if (p.enum) validateEnum(errs, p, type, at);
}

function article(t: ParamType): string {
  return t === 'array' ? 'an array' : t === 'object' ? 'an object' : 'a string';
}

function validateObjectParam(errs: FieldErrors, p: ParamSpec, at: string): void {
  if (!p.properties) {
    errs.add(joinPath(at, 'properties'), `object param "${p.name}" must declare its keys in "properties" (e.g. properties: {url: {type: string}})`);
    return;
  }
  for (const key of Object.keys(p.properties)) {
    if (!OBJECT_NAME.test(key)) errs.add(joinPath(at, 'properties', key), `invalid key "${key}": keys must start with a letter or "_" and contain only letters, digits, "_" and "-"`);
  }
  // A default may omit keys: a run's value is merged over it, so missing keys are only known at run time.
}

function validateEnum(errs: FieldErrors, p: ParamSpec, type: ParamType, at: string): void {
  const values = p.enum ?? [];
  if (type !== 'string') errs.add(joinPath(at, 'enum'), `enum is only allowed for string params ("${p.name}" is ${article(type)})`);
  if (values.length === 0) errs.add(joinPath(at, 'enum'), 'enum must list at least one allowed value, or be removed');
  if (new Set(values).size !== values.length) errs.add(joinPath(at, 'enum'), 'enum must not repeat a value');
  if (typeof p.default === 'string' && values.length > 0 && !values.includes(p.default)) {
    errs.add(joinPath(at, 'default'), `default "${p.default}" is not one of the enum values ${values.map((v) => `"${v}"`).join(', ')}`);
  }
}

/** Validates supplied params (`params: [{name, value}]`): names must be unique. */
export function validateParams(errs: FieldErrors, params: readonly Param[] | undefined, base: string): void {
  checkUnique(errs, params, base, 'name', (p) => p.name, 'param');
}
