/**
 * The LocalApi of one server (see local.ts): the HTTP create and delete handlers' work without the HTTP layer.
 * Objects pass through JSON on the way in, as they would over the wire (unless the caller hands them over); errors become the ApiError that
 * KubeClient would have thrown for the same answer.
 */
import { kindFor, servedVersions, type KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../kube/errors.js';
import { incoming, outgoing, type ServerContext } from './context.js';
import { StatusError } from './errors.js';
import { deleteObject } from './lifecycle.js';
import type { LocalApi } from './local.js';
import { checkIdentity } from './meta.js';
import type { ResourceRoute } from './route.js';
import { createObject } from './write.js';

function infoOf(obj: KubeObject): KindInfo {
  const info = kindFor(obj.apiVersion, obj.kind);
  if (!info) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${obj.kind} in ${obj.apiVersion})`);
  return info;
}

function asApiError(err: unknown, what: string): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof StatusError) return new ApiError(err.code, err.status.reason, err.status.message, { ...err.status });
  const message = `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`;
  return new ApiError(500, 'InternalError', message || `${what}: HTTP 500`);
}

async function create(ctx: ServerContext, obj: KubeObject, namespace: string, handOver: boolean): Promise<KubeObject> {
  try {
    const info = infoOf(obj);
    const ns = info.namespaced ? (obj.metadata?.namespace ?? namespace) : undefined;
    // Written under its own version when the kind serves it (a v1beta1 template is converted and admitted as such).
    const asked = obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1);
    const version = servedVersions(info).includes(asked) ? asked : info.version;
    const route: ResourceRoute = { type: 'resource', info, version, ...(ns ? { namespace: ns } : {}) };
    const named = { ...obj, apiVersion: info.group ? `${info.group}/${version}` : version };
    const wire = (handOver ? named : JSON.parse(JSON.stringify(named))) as Record<string, unknown>;
    const original = checkIdentity(route, wire);
    const body = incoming(ctx, info, original);
    const opts = { dryRun: false, fieldValidation: 'Warn' as const, ...(original.apiVersion === body.apiVersion ? {} : { original }) };
    const r = await ctx.writes.submit(() => createObject(ctx, info, body, opts));
    return outgoing(ctx, info, info.version, r.obj);
  } catch (err) {
    throw asApiError(err, `POST ${obj.kind}`);
  }
}

async function remove(ctx: ServerContext, obj: KubeObject, namespace: string): Promise<void> {
  try {
    const info = infoOf(obj);
    const ns = info.namespaced ? (obj.metadata.namespace ?? namespace) : '';
    await ctx.writes.submit(() => deleteObject(ctx, info, ns, obj.metadata.name ?? '', { propagationPolicy: 'Background', dryRun: false }));
  } catch (err) {
    const e = asApiError(err, `DELETE ${obj.kind}`);
    if (e instanceof ApiError && e.code === 404) return;
    throw e;
  }
}

/** The in-process writes of the server behind `ctx`. */
export function localWrites(ctx: ServerContext): LocalApi {
  return {
    create: (obj, namespace = 'default', opts = {}) => create(ctx, obj, namespace, opts.handOver === true),
    remove: (obj, namespace = 'default') => remove(ctx, obj, namespace),
  };
}
