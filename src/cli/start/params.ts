/**
 * `-p name=value` flags against a Pipeline's or Task's declared params, as tkn reads them: arrays as
 * `a,b,c`, objects as `key:value, key2:value2`. Unknown names and missing required params are usage errors
 * that say what the Pipeline or Task expects.
 */
import type { Param, ParamSpec, ParamValue } from '../../api/types.js';
import { UsageError } from '../errors.js';
import { formatValue } from '../output/describe.js';

/** Splits `name=value` at the first `=`. */
export function splitAssignment(flag: string, what: string): [string, string] {
  const i = flag.indexOf('=');
  if (i <= 0) throw new UsageError(`invalid ${what} "${flag}": expected name=value`);
  return [flag.slice(0, i), flag.slice(i + 1)];
}

function objectValue(name: string, raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = pair.indexOf(':');
    if (i <= 0) throw new UsageError(`invalid value for object param "${name}": "${pair}" is not key:value`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

/** Converts a flag's text to the param's declared type. */
export function typedValue(spec: ParamSpec | undefined, name: string, raw: string): ParamValue {
  if (spec?.type === 'array') return raw === '' ? [] : raw.split(',');
  if (spec?.type === 'object') return objectValue(name, raw);
  return raw;
}

/** A readable list of the declared params (for error messages). */
export function describeParams(specs: ParamSpec[]): string {
  if (specs.length === 0) return '  (no params)';
  return specs.map((p) => {
    const type = p.type ?? 'string';
    const dflt = p.default === undefined ? 'required' : `default ${JSON.stringify(formatValue(p.default))}`;
    const desc = p.description ? ` — ${p.description.split('\n')[0]?.trim() ?? ''}` : '';
    return `  ${p.name} (${type}, ${dflt})${desc}`;
  }).join('\n');
}

/** Options of {@link resolveParams}. */
export interface ParamFlagsInput {
  flags: string[];
  specs: ParamSpec[];
  /** `Pipeline "build"` — used in error messages. */
  owner: string;
  /** Write the defaults of unset params into the run (`--use-param-defaults`). */
  useDefaults?: boolean;
  /** Values of an earlier run (`start --last`): used where no flag gives one. */
  previous?: Param[];
}

/** The run's params: the flags, typed; errors for unknown names and missing required params. */
export function resolveParams(input: ParamFlagsInput): Param[] {
  const byName = new Map(input.specs.map((s) => [s.name, s]));
  const given = new Map<string, ParamValue>();
  for (const p of input.previous ?? []) if (byName.has(p.name)) given.set(p.name, p.value);
  for (const flag of input.flags) {
    const [name, raw] = splitAssignment(flag, 'param');
    const spec = byName.get(name);
    if (!spec) throw new UsageError(`param "${name}" is not declared by ${input.owner}. It expects:\n${describeParams(input.specs)}`);
    given.set(name, typedValue(spec, name, raw));
  }
  const missing = input.specs.filter((s) => s.default === undefined && !given.has(s.name));
  if (missing.length > 0) {
    const names = missing.map((s) => `"${s.name}"`).join(', ');
    throw new UsageError(`${input.owner} needs a value for param(s) ${names}. It expects:\n${describeParams(input.specs)}\nGive values with -p name=value.`);
  }
  const params: Param[] = [];
  for (const spec of input.specs) {
    const value = given.get(spec.name) ?? (input.useDefaults ? spec.default : undefined);
    if (value !== undefined) params.push({ name: spec.name, value });
  }
  return params;
}
