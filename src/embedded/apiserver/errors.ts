/**
 * Kubernetes `Status` errors, worded exactly like kube-apiserver's so that kubectl and client-node print and
 * classify them the same way.
 */
import type { KindInfo } from '../../api/registry.js';

/** A metav1.Status cause. */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

/** A metav1.Status body. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** An error the HTTP layer answers as a Status with `code`. */
export class StatusError extends Error {
  readonly code: number;
  readonly status: Status;

  constructor(code: number, reason: string, message: string, details?: Status['details']) {
    // an answer, not a fault: no stack trace to capture (404s and 409s are frequent; a trace costs more than them)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'StatusError';
    this.code = code;
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  }
}

/** `pipelineruns.tekton.dev` / `pods`: how Kubernetes names a resource in messages. */
export function qualifiedResource(info: Pick<KindInfo, 'plural' | 'group'>): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/** `PipelineRun.tekton.dev` / `Pod`: how Kubernetes names a kind in Invalid messages. */
export function qualifiedKind(info: Pick<KindInfo, 'kind' | 'group'>): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

function details(info: Pick<KindInfo, 'plural' | 'group'>, name: string): Status['details'] {
  return { name, group: info.group || undefined, kind: info.plural };
}

/** 404 `pipelineruns.tekton.dev "foo" not found`. */
export function notFound(info: Pick<KindInfo, 'plural' | 'group'>, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, details(info, name));
}

/** 409 `pipelineruns.tekton.dev "foo" already exists`. */
export function alreadyExists(info: Pick<KindInfo, 'plural' | 'group'>, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists`, details(info, name));
}

/** 409 Conflict on a stale resourceVersion (or a failed precondition). */
export function conflict(info: Pick<KindInfo, 'plural' | 'group'>, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${why}`, details(info, name));
}

/** 422 Invalid with one cause per field error. */
export function invalid(info: Pick<KindInfo, 'kind' | 'group'>, name: string, errors: { path: string; message: string }[]): StatusError {
  const causes: StatusCause[] = errors.map((e) => ({ reason: causeReason(e.message), message: e.message, field: e.path }));
  const parts = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${qualifiedKind(info)} "${name}" is invalid: ${summary}`, {
    name, group: info.group || undefined, kind: info.kind, causes,
  });
}

function causeReason(message: string): string {
  if (message.startsWith('Required value')) return 'FieldValueRequired';
  if (message.startsWith('Forbidden')) return 'FieldValueForbidden';
  if (message.startsWith('Unsupported value')) return 'FieldValueNotSupported';
  if (message.startsWith('Duplicate value')) return 'FieldValueDuplicate';
  if (message.startsWith('Too long')) return 'FieldValueTooLong';
  if (message.includes('unknown field')) return 'FieldValueInvalid';
  return 'FieldValueInvalid';
}

/** 400 BadRequest. */
export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

/** 403 Forbidden. */
export function forbidden(info: Pick<KindInfo, 'plural' | 'group'>, name: string, why: string): StatusError {
  return new StatusError(403, 'Forbidden', `${qualifiedResource(info)} "${name}" is forbidden: ${why}`, details(info, name));
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(method: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`);
}

/** 410 Expired for a resourceVersion older than the retained window. */
export function expired(rv: number, oldest: number): StatusError {
  return new StatusError(410, 'Expired', `too old resource version: ${rv} (${oldest})`);
}

/** 415 UnsupportedMediaType. */
export function unsupportedMediaType(message: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', message);
}

/** 404 for a path the server does not serve. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource');
}
