/** `-o json|yaml|name` printing of objects and lists, as kubectl and tkn print them. */
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { kindFor } from '../../api/registry.js';
import { UsageError } from '../errors.js';

/** The machine-readable output formats. */
export type ObjectFormat = 'json' | 'yaml' | 'name';

/** Checks a `-o` value; undefined means the human table or describe output. */
export function parseObjectFormat(value: string | undefined, allowed: readonly ObjectFormat[] = ['json', 'yaml', 'name']): ObjectFormat | undefined {
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as ObjectFormat;
  throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed.join(',')}`);
}

/** `pipelinerun.tekton.dev/name` for `-o name`. */
export function resourceName(obj: KubeObject): string {
  const info = kindFor(obj.apiVersion, obj.kind);
  const kind = info ? (info.group ? `${info.singular}.${info.group}` : info.singular) : obj.kind.toLowerCase();
  return `${kind}/${obj.metadata.name ?? ''}`;
}

/** One object in the given format, ending in a newline. */
export function formatObject(obj: KubeObject, format: ObjectFormat): string {
  if (format === 'name') return `${resourceName(obj)}\n`;
  if (format === 'json') return `${JSON.stringify(obj, null, 4)}\n`;
  return stringify(obj, { lineWidth: 0 });
}

/** A list of objects: a `<Kind>List` object for json/yaml, one name per line for `name`. */
export function formatObjectList(items: KubeObject[], listKind: { apiVersion: string; kind: string }, format: ObjectFormat): string {
  if (format === 'name') return items.map((o) => `${resourceName(o)}\n`).join('');
  return formatObject({ apiVersion: listKind.apiVersion, kind: `${listKind.kind}List`, metadata: { resourceVersion: '' }, items } as KubeObject, format);
}
