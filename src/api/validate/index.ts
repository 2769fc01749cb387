/**
 * `validateObject`: the single entry point of validation, used by admission (embedded API server), the CLI
 * before applying files, and tests. Runs the kind's zod schema (shape, types, unknown fields) and then the
 * semantic checks Tekton's webhook makes, returning every problem with its field path. Never throws.
 */
import type { z } from 'zod';
import { checkV1beta1, convertObject, needsConversion, V1, v1beta1Path, v1NamesInV1beta1 } from '../convert/index.js';
import { foldKeys, hasUnknownKeys } from '../fold-keys.js';
import { KINDS } from '../registry.js';
import { schemaForKind } from '../schemas/index.js';
import type * as T from '../types.js';
import { validateCustomRunSpec } from './customrun.validate.js';
import { type FieldError, FieldErrors } from './field-errors.js';
import { type GateFlags, validateFeatureGates } from './gates.validate.js';
import { type NameRules, validateMeta } from './meta.validate.js';
import { validatePipelineSpec } from './pipeline.validate.js';
import { validateNotPendingAfterStart, validatePipelineRunSpec, validateTaskRunSpec } from './runs.validate.js';
import { validateStepActionSpec } from './stepaction.validate.js';
import { validateTaskSpec } from './task.validate.js';
import * as trig from './triggers.validate.js';
import { convertIssues } from './zod-issues.js';
import { safeParse } from '../schemas/parse.js';

export type { FieldError } from './field-errors.js';
export { findCycle, cycleMessage } from './cycle.js';
export { parseGoDuration } from './duration.js';

/** The outcome of validation: `ok` when there are no errors (warnings do not count). */
export interface ValidationResult {
  ok: boolean;
  errors: FieldError[];
  warnings: FieldError[];
}

/** How unknown fields are treated, as kubectl's `--validate` / the API's `fieldValidation`. */
export type UnknownFieldPolicy = 'Strict' | 'Warn' | 'Ignore';

/** Options of {@link validateObject}. */
export interface ValidateOptions {
  unknownFields?: UnknownFieldPolicy;
  /**
   * The object as the client wrote it when `obj` is its conversion to the storage version (the API server
   * converts before admission). A tekton.dev/v1beta1 original gets Tekton's v1beta1-only checks and error paths
   * named as it spells them. Without it, a v1beta1 `obj` is converted here.
   */
  original?: unknown;
  /**
   * The live feature flags (admission): alpha/beta fields and flag-gated fields are refused as Tekton's webhook
   * refuses them. Without them nothing is gated (local checks; the server decides).
   */
  features?: GateFlags;
  /**
   * `obj` is already its schema's output with no unknown field (the API server's type check parsed it, defaulting
   * added only valid values): the schema is not run again, the semantic checks are.
   */
  schemaChecked?: boolean;
}

const TEKTON_GROUPS = new Set(['tekton.dev', 'triggers.tekton.dev']);

/**
 * Validates one object. Kinds outside tekton.dev / triggers.tekton.dev (core kinds) are not checked and answer
 * `{ok: true}`; unknown kinds in the Tekton groups are errors; `status` is not checked (controllers own it). Unknown fields are errors under `Strict`
 * (default), warnings under `Warn`, ignored under `Ignore`.
 */
export function validateObject(obj: unknown, opts: ValidateOptions = {}): ValidationResult {
  const original = opts.original ?? obj;
  if (isRecord(original) && needsConversion(original) && isRecord(obj)) return validateV1beta1(obj, original, opts);
  const errs = new FieldErrors();
  try {
    validateInto(errs, obj, opts.unknownFields ?? 'Strict', opts.features, opts.schemaChecked === true);
  } catch (e) {
    errs.add('', `internal validation error (please report it): ${e instanceof Error ? e.message : String(e)}`);
  }
  return { ok: errs.errors.length === 0, errors: errs.errors, warnings: errs.warnings };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A v1beta1 document: Tekton's v1beta1-only refusals, then the v1 checks on its conversion, paths as written. */
function validateV1beta1(obj: Record<string, unknown>, original: Record<string, unknown>, opts: ValidateOptions): ValidationResult {
  const converted = obj === original ? convertObject(obj, V1) : obj;
  const inner = validateObject(converted, { unknownFields: opts.unknownFields ?? 'Strict', ...(opts.features ? { features: opts.features } : {}) });
  const rename = (e: FieldError): FieldError => ({ path: v1beta1Path(e.path, original), message: e.message });
  const policy = opts.unknownFields ?? 'Strict';
  const v1Names = policy === 'Ignore' ? [] : v1NamesInV1beta1(original);
  const errors = [...checkV1beta1(original), ...(policy === 'Strict' ? v1Names : []), ...inner.errors.map(rename)];
  const warnings = [...(policy === 'Warn' ? v1Names : []), ...inner.warnings.map(rename)];
  return { ok: errors.length === 0, errors, warnings };
}

function validateInto(errs: FieldErrors, obj: unknown, policy: UnknownFieldPolicy, features?: GateFlags, schemaChecked = false): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    errs.add('', 'a Kubernetes object must be a mapping with apiVersion, kind, metadata and spec');
    return;
  }
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  if (typeof apiVersion !== 'string' || apiVersion === '') errs.add('apiVersion', 'required field is missing: set apiVersion (e.g. tekton.dev/v1)');
  if (typeof kind !== 'string' || kind === '') errs.add('kind', 'required field is missing: set kind (e.g. Task, Pipeline, PipelineRun)');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
  const schema = schemaForKind(apiVersion, kind);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (!schema) {
    if (TEKTON_GROUPS.has(group)) {
      const known = KINDS.filter((k) => k.group === group).map((k) => k.kind);
      errs.add('kind', `"${kind}" is not a ${group} kind tektite knows; use one of ${known.join(', ')}`);
    }
    return;
  }
  // status is the controllers' (written through /status, ignored on spec writes): only user input is validated.
  const input: Record<string, unknown> = { ...obj };
  delete input.status;
  const data = schemaChecked ? input : parseShape(errs, schema, input, policy);
  if (data) validateSemantics(errs, kind, data);
  if (data && features) validateFeatureGates(errs, kind, (data as { spec?: unknown }).spec, features);
  validateNotPendingAfterStart(errs, kind, obj as Parameters<typeof validateNotPendingAfterStart>[2]);
}

/**
 * Runs the schema. Unknown fields are routed by `policy`; when they are the only problem the object is parsed
 * again without them, so semantic checks still run on typed data. Returns the parsed object, or undefined.
 */
function parseShape(errs: FieldErrors, schema: z.ZodType, given: object, policy: UnknownFieldPolicy): unknown {
  let obj = given;
  let first = safeParse(schema, obj, { reportInput: true });
  if (hasUnknownKeys(first)) {
    // Go's JSON decoder matches keys case-insensitively: read `mountpath` as `mountPath` before calling it unknown
    obj = foldKeys(schema, obj);
    first = safeParse(schema, obj, { reportInput: true });
  }
  if (first.success) return first.data;
  const { errors, unknownFields } = convertIssues(first.error.issues, schema);
  for (const e of errors) errs.add(e.path, e.message);
  for (const u of unknownFields) {
    if (policy === 'Strict') errs.add(u.path, u.message);
    else if (policy === 'Warn') errs.warn(u.path, u.message);
  }
  if (errors.length > 0) return undefined;
  const stripped = structuredClone(obj);
  for (const issue of first.error.issues) {
    if (issue.code === 'unrecognized_keys') deleteKeys(stripped, issue.path, issue.keys);
  }
  const second = safeParse(schema, stripped);
  return second.success ? second.data : undefined;
}

function deleteKeys(root: unknown, path: readonly PropertyKey[], keys: readonly string[]): void {
  let node: unknown = root;
  for (const seg of path) node = (node as Record<PropertyKey, unknown> | undefined)?.[seg];
  if (node && typeof node === 'object') for (const k of keys) delete (node as Record<string, unknown>)[k];
}

const NAMES: NameRules = { maxLength: 63 };

/** The semantic checks of each kind, on schema-valid data. */
function validateSemantics(errs: FieldErrors, kind: string, data: unknown): void {
  const o = data as T.KubeObject & { spec: never };
  validateMeta(errs, o.metadata, kind === 'EventListener' ? { maxLength: 60 } : NAMES);
  const checks: Record<string, (spec: never) => void> = {
    Task: (s: T.TaskSpec) => validateTaskSpec(errs, s, 'spec', { inheritedParams: new Set() }),
    TaskRun: (s: T.TaskRunSpec) => validateTaskRunSpec(errs, s),
    Pipeline: (s: T.PipelineSpec) => validatePipelineSpec(errs, s, 'spec', { standalone: true }),
    PipelineRun: (s: T.PipelineRunSpec) => validatePipelineRunSpec(errs, s),
    StepAction: (s: T.StepActionSpec) => validateStepActionSpec(errs, s),
    CustomRun: (s: T.CustomRunSpec) => validateCustomRunSpec(errs, s),
    EventListener: (s: T.EventListenerSpec) => trig.validateEventListenerSpec(errs, s),
    Trigger: (s: T.TriggerSpec) => trig.validateTriggerSpec(errs, s),
    TriggerBinding: (s: T.TriggerBindingSpec) => trig.validateTriggerBindingSpec(errs, s),
    ClusterTriggerBinding: (s: T.TriggerBindingSpec) => trig.validateTriggerBindingSpec(errs, s),
    TriggerTemplate: (s: T.TriggerTemplateSpec) => trig.validateTriggerTemplateSpec(errs, s),
    Interceptor: (s: T.InterceptorSpec) => trig.validateInterceptorSpec(errs, s),
    ClusterInterceptor: (s: T.InterceptorSpec) => trig.validateInterceptorSpec(errs, s),
  };
  checks[kind]?.(o.spec);
}
