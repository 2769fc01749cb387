/**
 * Admission webhooks called the way kube-apiserver calls them: the stored MutatingWebhookConfigurations (one after
 * another, JSONPatch responses applied), then the ValidatingWebhookConfigurations, for creates and updates whose
 * group, version (matchPolicy Equivalent: the object is converted to a version the rule names), resource, operation
 * and scope match a rule, and whose namespace and object labels match the selectors. AdmissionReview v1 over HTTPS
 * (`clientConfig.url`, or `clientConfig.service` resolved through the server's service map, since embedded mode
 * has no Service network), trusting `caBundle`, within `timeoutSeconds` (10 s); `failurePolicy` Fail (default) or
 * Ignore; `sideEffects` checked for dry runs; warnings passed on. A denial answers
 * `admission webhook "<name>" denied the request: <message>` with the webhook's code (400 by default).
 */
import { randomUUID } from 'node:crypto';
import jsonpatch from 'fast-json-patch';
import type { KindInfo } from '../../api/registry.js';
import { servedVersions } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { ServerContext } from './context.js';
import { StatusError } from './errors.js';
import { selectorMatches } from './rbac.js';
import { endpointOf, postJson, type ClientConfig } from './webhook-client.js';
import { convertAsync } from './conversion-webhook.js';

interface Rule { apiGroups?: string[]; apiVersions?: string[]; operations?: string[]; resources?: string[]; scope?: string }
interface Selector { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
interface Webhook {
  name: string;
  clientConfig?: ClientConfig;
  rules?: Rule[];
  failurePolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: Selector;
  objectSelector?: Selector;
  sideEffects?: string;
  timeoutSeconds?: number;
}

/** One admission call: what is written, as which user. */
export interface AdmissionCall {
  operation: 'CREATE' | 'UPDATE';
  info: KindInfo;
  /** The object as the client sent it (its apiVersion is the request's version). */
  object: KubeObject;
  oldObject?: KubeObject;
  namespace?: string;
  dryRun: boolean;
  user: { username: string; groups: string[] };
  /** `ns/name` of a Service → its base URL (`https://127.0.0.1:8443`). */
  services: Record<string, string>;
}

const has = (list: readonly string[] | undefined, v: string): boolean => Array.isArray(list) && (list.includes('*') || list.includes(v));

/** The version the webhook is sent the object in, or undefined when no rule matches. */
function matchVersion(hook: Webhook, call: AdmissionCall, version: string): string | undefined {
  const { info } = call;
  const scopeOk = (r: Rule): boolean => !r.scope || r.scope === '*' || (r.scope === 'Namespaced') === info.namespaced;
  const base = (hook.rules ?? []).filter((r) => has(r.apiGroups, info.group) && has(r.operations, call.operation) && has(r.resources, info.plural) && scopeOk(r));
  if (base.some((r) => has(r.apiVersions, version))) return version;
  if (hook.matchPolicy === 'Exact') return undefined;
  return servedVersions(info).find((v) => base.some((r) => has(r.apiVersions, v)));
}

function selectorsMatch(ctx: ServerContext, hook: Webhook, call: AdmissionCall): boolean {
  if (hook.objectSelector && !selectorMatches(hook.objectSelector, call.object.metadata.labels ?? {}) && !(call.oldObject && selectorMatches(hook.objectSelector, call.oldObject.metadata.labels ?? {}))) return false;
  if (hook.namespaceSelector && call.namespace) {
    const ns = ctx.store.get('/namespaces', '', call.namespace);
    if (!selectorMatches(hook.namespaceSelector, ns?.metadata.labels ?? { 'kubernetes.io/metadata.name': call.namespace })) return false;
  }
  return true;
}

function hooksOf(ctx: ServerContext, plural: string): Webhook[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return ctx.store.list(`admissionregistration.k8s.io/${plural}`)
    .flatMap((c) => list((c as { webhooks?: unknown }).webhooks))
    .filter((h): h is Webhook => !!h && typeof h === 'object' && typeof (h as Webhook).name === 'string')
    .map((h) => ({ ...h, rules: list(h.rules).filter((r): r is Rule => !!r && typeof r === 'object') }));
}

/** True when some webhook configuration could apply to writes of this kind (cheap check before any work). */
export function webhooksFor(ctx: ServerContext, info: KindInfo): boolean {
  if (info.group === 'admissionregistration.k8s.io') return false;
  return [...hooksOf(ctx, 'mutatingwebhookconfigurations'), ...hooksOf(ctx, 'validatingwebhookconfigurations')]
    .some((h) => (h.rules ?? []).some((r) => has(r.apiGroups, info.group) && has(r.resources, info.plural)));
}

interface AdmissionResponse { allowed?: boolean; status?: { code?: number; reason?: string; message?: string }; patch?: string; patchType?: string; warnings?: string[] }

async function callOne(ctx: ServerContext, hook: Webhook, call: AdmissionCall, object: KubeObject, version: string): Promise<AdmissionResponse | undefined> {
  const { info } = call;
  if (call.dryRun && !['None', 'NoneOnDryRun'].includes(hook.sideEffects ?? '')) {
    throw new StatusError(400, 'BadRequest', `admission webhook "${hook.name}" does not support dry run`);
  }
  const apiVersion = info.group ? `${info.group}/${version}` : version;
  const send = async (o: KubeObject | undefined): Promise<KubeObject | undefined> => (o ? convertAsync(ctx, info, o, apiVersion) : o);
  const review = {
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: {
      uid: randomUUID(), kind: { group: info.group, version, kind: info.kind }, resource: { group: info.group, version, resource: info.plural },
      requestKind: { group: info.group, version: object.apiVersion.split('/').pop(), kind: info.kind },
      name: object.metadata.name ?? '', ...(call.namespace ? { namespace: call.namespace } : {}), operation: call.operation,
      userInfo: call.user, object: await send(object), oldObject: (await send(call.oldObject)) ?? null, dryRun: call.dryRun,
      options: { apiVersion: 'meta.k8s.io/v1', kind: call.operation === 'CREATE' ? 'CreateOptions' : 'UpdateOptions' },
    },
  };
  try {
    const answer = await postJson(endpointOf(hook.clientConfig ?? {}, call.services), review, hook.clientConfig?.caBundle, (hook.timeoutSeconds ?? 10) * 1000);
    return (answer.response ?? {}) as AdmissionResponse;
  } catch (err) {
    if (hook.failurePolicy === 'Ignore') return undefined;
    throw new StatusError(500, 'InternalError', `Internal error occurred: failed calling webhook "${hook.name}": failed to call webhook: ${(err as Error).message}`);
  }
}

function denied(hook: Webhook, r: AdmissionResponse): StatusError {
  const msg = r.status?.message ? `admission webhook "${hook.name}" denied the request: ${r.status.message}` : `admission webhook "${hook.name}" denied the request without explanation`;
  return new StatusError(r.status?.code || 400, r.status?.reason || 'BadRequest', msg);
}

/** Runs the matching webhooks; answers the (mutated) object in the request's version and the warnings. */
export async function admitByWebhooks(ctx: ServerContext, call: AdmissionCall): Promise<{ object: KubeObject; warnings: string[] }> {
  const requestVersion = call.object.apiVersion.split('/').pop() ?? '';
  let object = call.object;
  const warnings: string[] = [];
  for (const [plural, mutating] of [['mutatingwebhookconfigurations', true], ['validatingwebhookconfigurations', false]] as const) {
    for (const hook of hooksOf(ctx, plural)) {
      const version = matchVersion(hook, call, requestVersion);
      if (!version || !selectorsMatch(ctx, hook, call)) continue;
      const r = await callOne(ctx, hook, { ...call }, object, version);
      if (!r) continue;
      warnings.push(...(r.warnings ?? []));
      if (r.allowed !== true) throw denied(hook, r);
      if (mutating && r.patch && (r.patchType ?? 'JSONPatch') === 'JSONPatch') {
        const apiVersion = call.info.group ? `${call.info.group}/${version}` : version;
        const sent = await convertAsync(ctx, call.info, object, apiVersion);
        const ops = JSON.parse(Buffer.from(r.patch, 'base64').toString('utf8')) as jsonpatch.Operation[];
        const patched = jsonpatch.applyPatch(structuredClone(sent), ops, false, false).newDocument;
        object = await convertAsync(ctx, call.info, patched, call.object.apiVersion);
      }
    }
  }
  return { object, warnings };
}
