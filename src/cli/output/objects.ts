/** `-o json|yaml|name` printing of objects and lists, as kubectl and tkn print them. */
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { kindFor } from '../../api/registry.js';
import { UsageError } from '../errors.js';
import { compileGoTemplate } from './go-template.js';
import { compileJsonPathTemplate } from './jsonpath-template.js';

/** The machine-readable output formats (`jsonpath=TEMPLATE` and `go-template=TEMPLATE` as kubectl and tkn). */
export type ObjectFormat = 'json' | 'yaml' | 'name' | `jsonpath=${string}` | `go-template=${string}`;

const NAMED: readonly string[] = ['json', 'yaml', 'name'];

/** Checks a `-o` value; undefined means the human table or describe output. */
export function parseObjectFormat(value: string | undefined): ObjectFormat | undefined {
  if (value === undefined || value === '') return undefined;
  if (NAMED.includes(value)) return value as ObjectFormat;
  const file = /^jsonpath-file=(.+)$/.exec(value);
  if (file) return parseObjectFormat(`jsonpath=${readTemplateFile(file[1] ?? '')}`);
  if (value.startsWith('jsonpath=')) {
    compileJsonPathTemplate(value.slice('jsonpath='.length));
    return value as ObjectFormat;
  }
  const goFile = /^(?:go-template-file|templatefile)=(.+)$/.exec(value);
  if (goFile) return parseObjectFormat(`go-template=${readTemplateFile(goFile[1] ?? '')}`);
  const go = /^(?:go-template|template)=([\s\S]*)$/.exec(value);
  if (go) {
    try {
      compileGoTemplate(go[1] ?? '');
    } catch (err) {
      throw new UsageError(`error parsing template ${go[1] ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
    }
    return `go-template=${go[1] ?? ''}`;
  }
  throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${[...NAMED, 'go-template', 'go-template-file', 'jsonpath', 'jsonpath-file', 'template', 'templatefile'].join(',')}`);
}

function readTemplateFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the template file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `pipelinerun.tekton.dev/name` for `-o name`. */
export function resourceName(obj: KubeObject): string {
  const info = kindFor(obj.apiVersion, obj.kind);
  const kind = info ? (info.group ? `${info.singular}.${info.group}` : info.singular) : obj.kind.toLowerCase();
  return `${kind}/${obj.metadata.name ?? ''}`;
}

/** One object in the given format, ending in a newline. */
export function formatObject(obj: KubeObject, format: ObjectFormat): string {
  if (format.startsWith('jsonpath=')) return compileJsonPathTemplate(format.slice('jsonpath='.length))(obj);
  if (format.startsWith('go-template=')) {
    try {
      return compileGoTemplate(format.slice('go-template='.length))(obj);
    } catch (err) {
      throw new UsageError(`error executing template: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (format === 'name') return `${resourceName(obj)}\n`;
  if (format === 'json') return `${JSON.stringify(obj, null, 4)}\n`;
  return stringify(obj, { lineWidth: 0 });
}

/** A list of objects: a `<Kind>List` object for json/yaml, one name per line for `name`. */
export function formatObjectList(items: KubeObject[], listKind: { apiVersion: string; kind: string }, format: ObjectFormat): string {
  if (format === 'name') return items.map((o) => `${resourceName(o)}\n`).join('');
  return formatObject({ apiVersion: listKind.apiVersion, kind: `${listKind.kind}List`, metadata: { resourceVersion: '' }, items } as KubeObject, format);
}
