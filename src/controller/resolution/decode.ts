/**
 * Turns resolved text into the object a reference asked for: exactly one YAML/JSON document, a tekton.dev
 * Task, Pipeline or StepAction of the expected kind, valid (as admission would check it), with Tekton's defaults.
 */
import { parseAllDocuments } from 'yaml';
import { convertObject, needsConversion, objectWithoutNulls, V1 } from '../../api/convert/index.js';
import { applyDefaults } from '../../api/defaults.js';
import type { KubeObject } from '../../api/types.js';
import { validateObject } from '../../api/validate/index.js';
import type { ExpectedKind } from './types.js';
import { ResolutionError } from './types.js';

const KIND_NAMES: Record<ExpectedKind, string> = { task: 'Task', pipeline: 'Pipeline', stepaction: 'StepAction' };

function parseOne(text: string): unknown {
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  if (docs.length !== 1) throw new ResolutionError(`the resolved data holds ${docs.length} YAML documents; exactly one is expected`);
  const doc = docs[0]!;
  if (doc.errors.length > 0) throw new ResolutionError(`the resolved data is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc.toJS({ maxAliasCount: 100 });
}

/** Parses, checks and defaults a resolved object of the expected kind. */
export function decodeResolved(text: string, expected: ExpectedKind): KubeObject & { spec: unknown } {
  const obj = parseOne(text) as Partial<KubeObject> | null;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ResolutionError('the resolved data is not a YAML object');
  const want = KIND_NAMES[expected];
  const group = typeof obj.apiVersion === 'string' ? obj.apiVersion.split('/')[0] : '';
  if (group !== 'tekton.dev' || obj.kind !== want) {
    throw new ResolutionError(`the resolved object is ${String(obj.apiVersion ?? '?')} ${String(obj.kind ?? '?')}, expected a tekton.dev ${want}`);
  }
  const withMeta = objectWithoutNulls({ ...obj, metadata: obj.metadata ?? {} }) as KubeObject;
  const result = validateObject(withMeta, { unknownFields: 'Warn' });
  if (!result.ok) {
    const shown = result.errors.slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new ResolutionError(`the resolved ${want} is invalid: ${shown}${result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : ''}`);
  }
  // A v1beta1 Task or Pipeline (most of the catalog) is used as its v1 conversion, as Tekton's reconcilers do.
  const stored = needsConversion(withMeta) ? convertObject(withMeta, V1) : withMeta;
  const defaulted = applyDefaults(stored) as KubeObject & { spec?: unknown };
  if (!defaulted.spec || typeof defaulted.spec !== 'object') throw new ResolutionError(`the resolved ${want} has no spec`);
  return defaulted as KubeObject & { spec: unknown };
}
