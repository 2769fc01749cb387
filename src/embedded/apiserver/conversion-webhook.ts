/**
 * CRD conversion webhooks called the way kube-apiserver calls them: when the CustomResourceDefinition of a kind is
 * stored with `spec.conversion.strategy: Webhook`, an object going between the stored version and another served
 * version is sent in a ConversionReview v1 to `spec.conversion.webhook.clientConfig` (`url`, or `service` resolved
 * through the server's service map as for admission webhooks; `caBundle` trusted), 30 s timeout — a list in one
 * review, a watch event per review. The answer is checked as kube-apiserver checks it (same uid, `Success`, one
 * object per object sent, the desired apiVersion, the same kind) and only labels and annotations may change in
 * metadata. A failure answers 500 `conversion webhook for <group>/<version>, Kind=<kind> failed: …`. Without such
 * a CRD, or when no version changes, conversion stays in-process (ctx.convert, src/api/convert) and synchronous.
 */
import { randomUUID } from 'node:crypto';
import { apiVersionOf, type KindInfo } from '../../api/registry.js';
import type { KubeObject } from '../../api/types.js';
import { incoming, outgoing, type ServerContext } from './context.js';
import { StatusError } from './errors.js';
import { endpointOf, postJson, type ClientConfig } from './webhook-client.js';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';
/** kube-apiserver's timeout for conversion webhooks (they have no timeoutSeconds). */
const TIMEOUT_MS = 30_000;

interface CrdConversion { strategy?: string; webhook?: { clientConfig?: ClientConfig; conversionReviewVersions?: string[] } }

/** The conversion webhook's client config of a kind, when its stored CRD names one. */
export function conversionWebhookOf(ctx: ServerContext, info: KindInfo): ClientConfig | undefined {
  if (!info.crd || !info.group) return undefined;
  const crd = ctx.store.get(CRDS, '', `${info.plural}.${info.group}`);
  const conv = (crd?.spec as { conversion?: CrdConversion } | undefined)?.conversion;
  if (conv?.strategy !== 'Webhook') return undefined;
  return conv.webhook?.clientConfig ?? {};
}

function failed(apiVersion: string, kind: string, why: string): StatusError {
  return new StatusError(500, 'InternalError', `conversion webhook for ${apiVersion}, Kind=${kind} failed: ${why}`);
}

interface Review { response?: { uid?: string; result?: { status?: string; message?: string }; convertedObjects?: unknown[] } }

/** Sends `objects` (all of `info`'s kind) through the conversion webhook to `apiVersion`. */
async function viaWebhook(ctx: ServerContext, info: KindInfo, cc: ClientConfig, objects: KubeObject[], apiVersion: string): Promise<KubeObject[]> {
  const from = objects[0]?.apiVersion ?? apiVersion;
  const uid = randomUUID();
  let answer: Review;
  try {
    answer = (await postJson(endpointOf(cc, ctx.webhookServices ?? {}), {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid, desiredAPIVersion: apiVersion, objects },
    }, cc.caBundle, TIMEOUT_MS)) as Review;
  } catch (err) {
    throw failed(from, info.kind, (err as Error).message);
  }
  const r = answer.response;
  if (!r) throw failed(from, info.kind, 'the ConversionReview answer has no response');
  if (r.uid !== uid) throw failed(from, info.kind, `expected response.uid="${uid}", got "${r.uid ?? ''}"`);
  if (r.result?.status !== 'Success') throw failed(from, info.kind, `conversion webhook returned failure: ${r.result?.message ?? 'no message'}`);
  const got = Array.isArray(r.convertedObjects) ? r.convertedObjects : [];
  if (got.length !== objects.length) throw failed(from, info.kind, `expected ${objects.length} converted objects, got ${got.length}`);
  return got.map((o, i) => {
    const sent = objects[i] as KubeObject;
    const c = o as Partial<KubeObject> | null;
    if (!c || typeof c !== 'object') throw failed(from, info.kind, `converted object ${i} is not an object`);
    if (c.apiVersion !== apiVersion) throw failed(from, info.kind, `invalid converted object at index ${i}: invalid apiVersion "${String(c.apiVersion)}", expected "${apiVersion}"`);
    if (c.kind !== sent.kind) throw failed(from, info.kind, `invalid converted object at index ${i}: invalid kind "${String(c.kind)}", expected "${sent.kind}"`);
    const meta = c.metadata ?? {};
    // as kube-apiserver: a webhook may change labels and annotations, nothing else of metadata
    const metadata = { ...sent.metadata };
    if (meta.labels) metadata.labels = meta.labels;
    else delete metadata.labels;
    if (meta.annotations) metadata.annotations = meta.annotations;
    else delete metadata.annotations;
    return { ...(c as KubeObject), metadata };
  });
}

/** True when serving `version` of `info` goes through a conversion webhook (the caller then uses the async path). */
export function servedByWebhook(ctx: ServerContext, info: KindInfo, version: string): boolean {
  return version !== info.version && conversionWebhookOf(ctx, info) !== undefined;
}

/** Stored objects as the client's version shows them: through the CRD's conversion webhook, else in-process. */
export async function outgoingMany(ctx: ServerContext, info: KindInfo, version: string, objs: KubeObject[]): Promise<KubeObject[]> {
  const cc = version === info.version ? undefined : conversionWebhookOf(ctx, info);
  if (!cc || objs.length === 0) return objs.map((o) => outgoing(ctx, info, version, o));
  return viaWebhook(ctx, info, cc, objs, info.group ? `${info.group}/${version}` : version);
}

/** One stored object in the client's version (see outgoingMany). */
export async function outgoingOne(ctx: ServerContext, info: KindInfo, version: string, obj: KubeObject): Promise<KubeObject> {
  return (await outgoingMany(ctx, info, version, [obj]))[0] as KubeObject;
}

/**
 * A request body in the stored version: through the CRD's conversion webhook when it is of another version, then
 * as incoming() does (kind and apiVersion set, Tekton's nulls dropped).
 */
export async function incomingAsync(ctx: ServerContext, info: KindInfo, body: KubeObject): Promise<KubeObject> {
  const stored = apiVersionOf(info);
  if (!body.apiVersion || body.apiVersion === stored) return incoming(ctx, info, body);
  const cc = conversionWebhookOf(ctx, info);
  if (!cc) return incoming(ctx, info, body);
  const [converted] = await viaWebhook(ctx, info, cc, [{ ...body, kind: info.kind }], stored);
  return incoming(ctx, info, converted as KubeObject);
}

/** Converts to any served apiVersion of `info` (admission webhooks' matchPolicy Equivalent), webhook first. */
export async function convertAsync(ctx: ServerContext, info: KindInfo, obj: KubeObject, apiVersion: string): Promise<KubeObject> {
  if (obj.apiVersion === apiVersion) return obj;
  const cc = conversionWebhookOf(ctx, info);
  if (!cc) return ctx.convert(obj, apiVersion);
  return (await viaWebhook(ctx, info, cc, [obj], apiVersion))[0] as KubeObject;
}
