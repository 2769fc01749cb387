/**
 * Tekton's and Triggers' defaulting (the *_defaults.go SetDefaults methods), applied by admission before an
 * object is stored, so controllers never have to guess: param and result types, property types, taskRef kind,
 * TaskRun timeout and service account, PipelineRun timeouts.pipeline and service account, trigger binding and
 * interceptor kinds. Schema-valid objects are also normalised by their schema (YAML numbers given as param values
 * or quantities become strings). Pure: returns a copy and never throws.
 */
import { foldKeys, hasUnknownKeys } from './fold-keys.js';
import { schemaForKind } from './schemas/index.js';
import type * as T from './types.js';
import { safeParse } from './schemas/parse.js';

/** Tekton's `default-timeout-minutes` (60) as a Go duration. */
export const DEFAULT_TIMEOUT = '1h0m0s';
/** Tekton's `default-service-account`. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** The live values of Tekton's config-defaults that admission applies (Tekton's defaults when absent). */
export interface DefaultsConfig {
  /** default-timeout-minutes (0 = no timeout). */
  timeoutMinutes?: number;
  /** default-service-account. */
  serviceAccount?: string;
}

/** A whole number of minutes as a Go duration string, as Tekton stores the default timeout (60 → 1h0m0s). */
export function minutesAsGoDuration(minutes: number): string {
  if (minutes <= 0) return '0s';
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h}h${minutes % 60}m0s` : `${minutes}m0s`;
}

/**
 * Returns a defaulted, normalised copy of `obj`; objects of other kinds come back as plain copies. `parsed`, when
 * given, is the output of the kind's schema for `obj` (its metadata aside; an object without status), which then
 * is not run again: it is handed over and defaulted in place (the schema's output is already a copy; only the
 * properties a transform left undefined are removed, as a JSON copy would), with `obj.metadata` as its metadata.
 */
export function applyDefaults<O extends T.KubeObject>(obj: O, config: DefaultsConfig = {}, parsed?: object): O {
  const copy = parsed && obj.status === undefined ? ({ ...withoutUndefined(parsed), metadata: obj.metadata } as O) : normalise(obj);
  const spec = (copy as { spec?: unknown }).spec;
  if (spec === null || typeof spec !== 'object') return copy;
  const apply = DEFAULTERS[copy.kind];
  const cfg = {
    timeout: config.timeoutMinutes === undefined ? DEFAULT_TIMEOUT : minutesAsGoDuration(config.timeoutMinutes),
    serviceAccount: config.serviceAccount || DEFAULT_SERVICE_ACCOUNT,
  };
  if (apply && /^(triggers\.)?tekton\.dev\//.test(copy.apiVersion)) apply(spec as never, cfg);
  return copy;
}

/**
 * applyDefaults as the API server's defaulting hook: the server hands over the schema output its type check made
 * (`parsed`), so the schema runs once per create. `config` may be a function: read at each call (live settings).
 */
export const defaulting = (config: DefaultsConfig | (() => DefaultsConfig) = {}) => <O extends T.KubeObject>(obj: O, parsed?: object): O =>
  applyDefaults(obj, typeof config === 'function' ? config() : config, parsed);

interface Cfg { timeout: string; serviceAccount: string }

/** Removes, in place, every property whose value is undefined (what JSON.stringify leaves out); answers `v`. */
function withoutUndefined<V>(v: V): V {
  if (Array.isArray(v)) {
    for (const x of v as unknown[]) if (x !== null && typeof x === 'object') withoutUndefined(x);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (x === undefined) delete o[k];
      else if (x !== null && typeof x === 'object') withoutUndefined(x);
    }
  }
  return v;
}

/** A copy of `obj`, run through its kind's schema when that succeeds (transforms applied, undefined keys dropped). */
function normalise<O extends T.KubeObject>(obj: O): O {
  const schema = typeof obj.apiVersion === 'string' && typeof obj.kind === 'string' ? schemaForKind(obj.apiVersion, obj.kind) : undefined;
  let parsed = schema && safeParse(schema, obj);
  if (schema && parsed && hasUnknownKeys(parsed)) parsed = safeParse(schema, foldKeys(schema, obj));
  const value: unknown = parsed?.success ? parsed.data : obj;
  return JSON.parse(JSON.stringify(value)) as O;
}

const DEFAULTERS: Record<string, (spec: never, cfg: Cfg) => void> = {
  Task: (s: T.TaskSpec) => defaultTaskSpec(s),
  StepAction: (s: T.StepActionSpec) => {
    s.params?.forEach(defaultParamSpec);
    s.results?.forEach(defaultResult);
  },
  Pipeline: (s: T.PipelineSpec) => defaultPipelineSpec(s),
  TaskRun: (s: T.TaskRunSpec, cfg: Cfg) => defaultTaskRunSpec(s, cfg),
  PipelineRun: (s: T.PipelineRunSpec, cfg: Cfg) => defaultPipelineRunSpec(s, cfg),
  Trigger: (s: T.TriggerSpec) => defaultTrigger(s),
  EventListener: (s: T.EventListenerSpec) => {
    s.triggers?.forEach(defaultTrigger);
    s.triggerGroups?.forEach((g) => g.interceptors?.forEach(defaultInterceptor));
  },
};

/** ParamSpec: type from the default value (or `object` with properties, else `string`); property types `string`. */
function defaultParamSpec(p: T.ParamSpec): void {
  if (!p.type) {
    if (Array.isArray(p.default)) p.type = 'array';
    else if (typeof p.default === 'object' || p.properties) p.type = 'object';
    else p.type = 'string';
  }
  for (const prop of Object.values(p.properties ?? {})) prop.type ??= 'string';
}

function defaultResult(r: T.TaskResult | T.StepResult): void {
  r.type ??= r.properties ? 'object' : 'string';
  for (const prop of Object.values(r.properties ?? {})) prop.type ??= 'string';
}

function defaultTaskSpec(s: Partial<T.TaskSpec>): void {
  s.params?.forEach(defaultParamSpec);
  s.results?.forEach(defaultResult);
  s.steps?.forEach((step) => step.results?.forEach(defaultResult));
}

function defaultTaskRef(ref: T.Ref | undefined): void {
  if (ref?.name && !ref.kind && !ref.apiVersion && !ref.resolver) ref.kind = 'Task';
}

function defaultPipelineTask(t: T.PipelineTask): void {
  defaultTaskRef(t.taskRef);
  const custom = t.taskSpec?.apiVersion !== undefined || t.taskSpec?.kind !== undefined;
  if (t.taskSpec && !custom) defaultTaskSpec(t.taskSpec);
  if (t.pipelineSpec) defaultPipelineSpec(t.pipelineSpec);
}

function defaultPipelineSpec(s: T.PipelineSpec): void {
  s.params?.forEach(defaultParamSpec);
  s.tasks?.forEach(defaultPipelineTask);
  s.finally?.forEach(defaultPipelineTask);
  for (const r of s.results ?? []) {
    r.type ??= Array.isArray(r.value) ? 'array' : typeof r.value === 'object' ? 'object' : 'string';
  }
}

function defaultTaskRunSpec(s: T.TaskRunSpec, cfg: Cfg): void {
  s.timeout ??= cfg.timeout;
  s.serviceAccountName ??= cfg.serviceAccount;
  defaultTaskRef(s.taskRef);
  if (s.taskSpec) defaultTaskSpec(s.taskSpec);
}

function defaultPipelineRunSpec(s: T.PipelineRunSpec, cfg: Cfg): void {
  s.timeouts ??= {};
  s.timeouts.pipeline ??= cfg.timeout;
  s.taskRunTemplate ??= {};
  s.taskRunTemplate.serviceAccountName ??= cfg.serviceAccount;
  if (s.pipelineSpec) defaultPipelineSpec(s.pipelineSpec);
}

function defaultInterceptor(ic: T.TriggerInterceptor): void {
  if (ic.ref && !ic.ref.kind) ic.ref.kind = 'ClusterInterceptor';
}

function defaultTrigger(t: T.TriggerSpec | T.EventListenerTrigger): void {
  for (const b of t.bindings ?? []) if (b.ref !== undefined && !b.kind) b.kind = 'TriggerBinding';
  t.interceptors?.forEach(defaultInterceptor);
}
