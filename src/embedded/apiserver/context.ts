/**
 * The shared state of one API server instance, handed to every handler, plus the small helpers that tie a
 * registry kind to its store resource and to the API version a request asked for.
 */
import type { PodSecurityLevel } from './pod-security.js';
import { objectWithoutNulls } from '../../api/convert/index.js';
import { apiVersionOf, type KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { LogStore } from '../logs.js';
import { badRequest, StatusError } from './errors.js';
import type { Store } from './store.js';
import type { WriteQueue } from './write-queue.js';

/** One field error or warning from admission. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The admission hook (schemas + semantic validation, like Tekton's webhook). */
export type AdmissionFn = (
  obj: KubeObject,
  ctx: {
    operation: 'CREATE' | 'UPDATE'; unknownFields: 'Strict' | 'Warn' | 'Ignore'; oldObject?: KubeObject;
    /** The object as the client wrote it, when that was another version than the stored one (before conversion). */
    original?: KubeObject;
    /**
     * An UPDATE that changes nothing but a run's control fields (spec.status, spec.statusMessage: a cancel, a stop):
     * the rest of the object was defaulted and admitted when it was written, only those fields and the update
     * rules need checking.
     */
    controlOnly?: boolean;
    /**
     * The object is its schema's output (no unknown field, metadata aside), defaulted: the schema need not run
     * again, only the semantic checks.
     */
    schemaChecked?: boolean;
  },
) => { ok: boolean; errors: FieldIssue[]; warnings: FieldIssue[] };

/** The defaulting hook (pure; answers a copy). `parsed`: the schema's output for `obj`, when the type check made it. */
export type DefaultsFn = (obj: KubeObject, parsed?: object) => KubeObject;

/** Converts an object to another served apiVersion of its kind (default: src/api/convert's convertObject). */
export type ConvertFn = (obj: KubeObject, apiVersion: string) => KubeObject;

/** Everything a handler needs. */
export interface ServerContext {
  store: Store;
  logs: LogStore;
  admission?: AdmissionFn;
  defaults?: DefaultsFn;
  convert: ConvertFn;
  /** The clock (injected so tests of ages stay deterministic). */
  now: () => Date;
  /** Milliseconds between watch BOOKMARK events when the client allows them. */
  bookmarkIntervalMs: number;
  /** Pod Security level enforced in namespaces without a `pod-security.kubernetes.io/enforce` label. */
  podSecurity?: PodSecurityLevel;
  /** Asks the garbage collector to look at the store again soon. */
  kickGc: () => void;
  /** Where request handlers run their store writes (one transaction per event-loop turn). */
  writes: WriteQueue;
  /** Admission webhooks' Services (`ns/name` → base URL): embedded mode has no Service network. */
  webhookServices?: Record<string, string>;
  /** `RBAC`: impersonated requests are authorized by RBAC (authz.ts); `AlwaysAllow` (default): not checked. */
  authorizationMode?: AuthorizationMode;
}

/** kube-apiserver's `--authorization-mode`, the two this server knows. */
export type AuthorizationMode = 'AlwaysAllow' | 'RBAC';

/** The store resource of a kind: `tekton.dev/pipelineruns`, `/pods`. */
export function resourceKey(info: Pick<KindInfo, 'group' | 'plural'>): string {
  return `${info.group}/${info.plural}`;
}

/** The default conversion: the same object under another apiVersion. */
export const renameVersion: ConvertFn = (obj, apiVersion) => (obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion });

/** The object as the client's API version shows it. */
export function outgoing(ctx: ServerContext, info: KindInfo, version: string, obj: KubeObject): KubeObject {
  if (version === info.version) return obj;
  return ctx.convert(obj, info.group ? `${info.group}/${version}` : version);
}

/** The object in the storage version, with kind and apiVersion set. */
export function incoming(ctx: ServerContext, info: KindInfo, obj: KubeObject): KubeObject {
  const stored = apiVersionOf(info);
  const decoded = info.group === 'tekton.dev' ? objectWithoutNulls(obj) : obj; // nulls are absent fields to Tekton's Go types
  let converted = decoded;
  try {
    if (decoded.apiVersion && decoded.apiVersion !== stored) converted = ctx.convert(decoded, stored);
  } catch (err) {
    // conversion runs before the type check: a wrong-typed body must not become a 500
    if (err instanceof StatusError) throw err;
    throw badRequest(`cannot convert ${obj.apiVersion} ${info.kind} to ${stored}: ${err instanceof Error ? err.message : String(err)}; check the types of its fields`);
  }
  return { ...converted, apiVersion: stored, kind: info.kind };
}

/** The last second formatted by {@link timestamp} (writes come many per second). */
let lastStamp = { second: NaN, text: '' };

/** RFC 3339 with seconds precision, as Kubernetes writes metadata timestamps. */
export function timestamp(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastStamp.second) lastStamp = { second, text: `${d.toISOString().slice(0, 19)}Z` };
  return lastStamp.text;
}
