/** `-o json|yaml|name|jsonpath=…|go-template=…` printing of objects and lists, as kubectl and tkn print them. */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { kindFor } from '../../api/registry.js';
import { UsageError } from '../errors.js';
import { compileGoTemplate } from './go-template.js';
import { compileJsonPathTemplate, jsonPathValues } from './jsonpath-template.js';

/** A template printer (`jsonpath=`, `jsonpath-as-json=`, `go-template=` and their file forms). */
export interface TemplatePrinter { render(data: unknown): string }

/** The machine-readable output formats; undefined elsewhere means the human table or describe output. */
export type ObjectFormat = 'json' | 'yaml' | 'name' | TemplatePrinter;

/** The `-o` flags of a command (tkn's: `--template`, `--allow-missing-template-keys`, `--show-managed-fields`). */
export interface OutputFlags {
  output?: string;
  template?: string;
  allowMissingTemplateKeys?: boolean;
  showManagedFields?: boolean;
}

const NAMED: readonly string[] = ['json', 'yaml', 'name'];
const TEMPLATES = ['go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file'];

/** What `-o` accepts, for help texts and errors. */
export const OUTPUT_FORMATS = [...NAMED, ...TEMPLATES].join(', ');

/** Adds tkn's template flags to a command that has `-o/--output`. */
export function addTemplateFlags(cmd: Command): Command {
  return cmd
    .option('--template <template>', 'template string or file for -o go-template, go-template-file, jsonpath, jsonpath-file')
    .option('--allow-missing-template-keys', 'a missing key prints <no value> (go-template) or nothing (jsonpath) (default; =false makes it an error)')
    .option('--no-allow-missing-template-keys', 'a missing key in a template is an error')
    .option('--show-managed-fields', 'keep metadata.managedFields in json and yaml output')
    .addOption(new Option('--no-show-managed-fields').hideHelp());
}

/** Adds the template flags to every command under `root` with a free-form `-o/--output` (tkn's output flags). */
export function addTemplateFlagsEverywhere(root: Command): void {
  for (const c of root.commands) {
    const o = c.options.find((x) => x.long === '--output');
    if (o && !o.argChoices && !c.options.some((x) => x.long === '--template')) addTemplateFlags(c);
    addTemplateFlagsEverywhere(c);
  }
}

function readTemplateFile(kind: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the ${kind} template file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Checks a `-o` value (with `--template`); undefined means the human table or describe output. */
export function parseObjectFormat(value: string | undefined, flags: Omit<OutputFlags, 'output'> = {}): ObjectFormat | undefined {
  if (value === undefined || value === '') return undefined;
  if (NAMED.includes(value)) return value as ObjectFormat;
  const eq = value.indexOf('=');
  const kind = eq < 0 ? value : value.slice(0, eq);
  if (!TEMPLATES.includes(kind)) throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${OUTPUT_FORMATS}`);
  let arg = eq < 0 ? flags.template : value.slice(eq + 1);
  if (arg === undefined || arg === '') throw new UsageError(`template format specified but no template given: use -o ${kind}=TEMPLATE or --template`);
  const fromFile = kind.endsWith('file') || (kind === 'go-template' && eq < 0 && !arg.includes('{{') && safeExists(arg));
  if (fromFile) arg = readTemplateFile(kind, arg);
  const allowMissingKeys = flags.allowMissingTemplateKeys !== false;
  if (kind.startsWith('jsonpath')) {
    if (kind === 'jsonpath-as-json') {
      const values = jsonPathValues(arg, allowMissingKeys);
      return { render: (data) => `${JSON.stringify(values(data), null, 4)}\n` };
    }
    return { render: compileJsonPathTemplate(arg, { allowMissingKeys }) };
  }
  return { render: compileGoTemplate(arg, { allowMissingKeys }) };
}

function safeExists(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The format of a command's `-o` flags. */
export function outputFormat(flags: OutputFlags): ObjectFormat | undefined {
  const format = parseObjectFormat(flags.output, flags);
  if (flags.showManagedFields || (format !== 'json' && format !== 'yaml')) return format;
  return { render: (data) => formatObject(withoutManagedFields(data as KubeObject), format) };
}

/** `pipelinerun.tekton.dev/name` for `-o name`. */
export function resourceName(obj: KubeObject): string {
  const info = kindFor(obj.apiVersion, obj.kind);
  const kind = info ? (info.group ? `${info.singular}.${info.group}` : info.singular) : obj.kind.toLowerCase();
  return `${kind}/${obj.metadata.name ?? ''}`;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const strip = (o: KubeObject): KubeObject => {
    if (!o.metadata || !('managedFields' in o.metadata)) return o;
    const { managedFields: _drop, ...metadata } = o.metadata as KubeObject['metadata'] & { managedFields?: unknown };
    return { ...o, metadata };
  };
  const items = (obj as { items?: KubeObject[] }).items;
  return Array.isArray(items) ? { ...obj, items: items.map(strip) } as KubeObject : strip(obj);
}

/** One object in the given format, ending in a newline. */
export function formatObject(obj: KubeObject, format: ObjectFormat): string {
  if (typeof format === 'object') return format.render(obj);
  if (format === 'name') return `${resourceName(obj)}\n`;
  if (format === 'json') return `${JSON.stringify(obj, null, 4)}\n`;
  return stringify(obj, { lineWidth: 0 });
}

/** A list of objects: a `<Kind>List` object for json/yaml/templates, one name per line for `name`. */
export function formatObjectList(items: KubeObject[], listKind: { apiVersion: string; kind: string }, format: ObjectFormat): string {
  if (format === 'name') return items.map((o) => `${resourceName(o)}\n`).join('');
  return formatObject({ apiVersion: listKind.apiVersion, kind: `${listKind.kind}List`, metadata: { resourceVersion: '' }, items } as KubeObject, format);
}
