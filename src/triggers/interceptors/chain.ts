/**
 * Runs a trigger's (or trigger group's) interceptors in order. Built-in ClusterInterceptors (cel, github, gitlab,
 * bitbucket) run in-process; other ClusterInterceptors and namespaced Interceptors are called over HTTP with
 * Tekton's InterceptorRequest/InterceptorResponse JSON; legacy `webhook` interceptors get the raw event and may
 * replace body and headers. Extensions are merged (later top-level keys win).
 */
import type { ClusterInterceptor, Interceptor, TriggerInterceptor } from '../../api/types.js';
import { canonicalHeaders } from '../event.js';
import type { TriggerLookup } from '../lookup.js';
import { celInterceptor, setPath } from './cel.js';
import { bitbucketInterceptor, gitlabInterceptor, slackInterceptor } from './forges.js';
import { githubInterceptor } from './github.js';
import { send } from './http.js';
import { isInternalCode, numericCode, SecretError, type BuiltinInterceptor, type InterceptorEnv, type InterceptorRequest, type InterceptorResponse } from './protocol.js';

/** Settings of the interceptor chain. */
export interface ChainOptions {
  lookup: TriggerLookup;
  githubApiUrl: string;
  httpTimeoutMs: number;
  celMaxSteps: number;
  /** Maps a Service URL (`http://name.ns.svc…`) to where it is served (embedded mode, no cluster DNS). */
  resolveUrl?: (url: string) => Promise<string>;
}

/** The event as it flows through the chain. */
export interface ChainEvent {
  rawBody: Buffer;
  parsedBody: unknown;
  header: Record<string, string[]>;
  extensions: Record<string, unknown>;
}

/** Where the chain runs: the trigger's namespace and identity. */
export interface ChainContext {
  namespace: string;
  triggerId: string;
  eventId: string;
  eventUrl: string;
}

/** Why a chain stopped: an interceptor rejected the event, or failed on our side. */
export type ChainStop = { kind: 'rejected'; code: number; message: string } | { kind: 'error'; httpStatus: number; message: string };

/** Outcome of a chain: go on with the (possibly changed) event, or stopped by the named interceptor. */
export type ChainResult = { kind: 'continue'; event: ChainEvent } | (ChainStop & { interceptor: string });

const builtinSets = new Map<number, Record<string, BuiltinInterceptor>>();

/** The built-in ClusterInterceptors, by name. */
export function builtinInterceptors(celMaxSteps: number): Record<string, BuiltinInterceptor> {
  let set = builtinSets.get(celMaxSteps);
  if (!set) {
    set = { cel: celInterceptor(celMaxSteps), github: githubInterceptor, gitlab: gitlabInterceptor, bitbucket: bitbucketInterceptor, slack: slackInterceptor };
    builtinSets.set(celMaxSteps, set);
  }
  return set;
}

/** Runs the interceptors in order. Never throws. */
export async function runChain(list: readonly TriggerInterceptor[], start: ChainEvent, cx: ChainContext, opts: ChainOptions): Promise<ChainResult> {
  const builtins = builtinInterceptors(opts.celMaxSteps);
  let ev: ChainEvent = { ...start, extensions: { ...start.extensions } };
  for (const [i, ic] of list.entries()) {
    const label = ic.name ?? ic.ref?.name ?? (ic.webhook ? 'webhook' : `interceptors[${i}]`);
    try {
      if (ic.webhook) {
        const r = await runLegacyWebhook(ic, ev, cx, opts);
        if ('kind' in r) return { ...r, interceptor: label };
        ev = r;
        continue;
      }
      const resp = await runRef(ic, ev, cx, opts, builtins);
      if ('httpStatus' in resp) return { kind: 'error', interceptor: label, ...resp };
      if (!resp.continue) {
        const code = numericCode(resp.status?.code);
        const message = resp.status?.message ?? '';
        if (isInternalCode(code)) return { kind: 'error', interceptor: label, httpStatus: 500, message: `interceptor ${label} failed: ${message}` };
        return { kind: 'rejected', interceptor: label, code, message };
      }
      for (const [k, v] of Object.entries(resp.extensions ?? {})) ev.extensions[k] = v;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const status = err instanceof SecretError ? 500 : 502;
      return { kind: 'error', interceptor: label, httpStatus: status, message: `interceptor ${label}: ${why}` };
    }
  }
  return { kind: 'continue', event: ev };
}

function paramsOf(ic: TriggerInterceptor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of ic.params ?? []) out[p.name] = p.value;
  return out;
}

/** An InterceptorRequest whose `body` (the raw body as text) is decoded only when read (HTTP interceptors). */
class LazyRequest implements InterceptorRequest {
  private text?: string;

  constructor(
    private readonly raw: Buffer,
    readonly header: Record<string, string[]>,
    readonly extensions: Record<string, unknown>,
    readonly interceptor_params: Record<string, unknown>,
    readonly context: InterceptorRequest['context'],
  ) {}

  get body(): string {
    return (this.text ??= this.raw.toString('utf8'));
  }

  toJSON(): InterceptorRequest {
    return { body: this.body, header: this.header, extensions: this.extensions, interceptor_params: this.interceptor_params, context: this.context };
  }
}

function requestOf(ic: TriggerInterceptor, ev: ChainEvent, cx: ChainContext): InterceptorRequest {
  return new LazyRequest(ev.rawBody, ev.header, ev.extensions, paramsOf(ic), { event_url: cx.eventUrl, event_id: cx.eventId, trigger_id: cx.triggerId });
}

async function runRef(ic: TriggerInterceptor, ev: ChainEvent, cx: ChainContext, opts: ChainOptions, builtins: Record<string, BuiltinInterceptor>): Promise<InterceptorResponse | { httpStatus: number; message: string }> {
  const kind = ic.ref?.kind ?? 'ClusterInterceptor';
  const name = ic.ref?.name ?? '';
  const builtin = kind === 'ClusterInterceptor' ? builtins[name] : undefined;
  const req = requestOf(ic, ev, cx);
  if (builtin) {
    const env: InterceptorEnv = {
      lookup: opts.lookup, namespace: cx.namespace, rawBody: ev.rawBody, parsedBody: ev.parsedBody,
      githubApiUrl: opts.githubApiUrl, httpTimeoutMs: opts.httpTimeoutMs,
    };
    return builtin(req, env);
  }
  const obj = kind === 'NamespacedInterceptor'
    ? await opts.lookup.get<Interceptor>('Interceptor', cx.namespace, name)
    : await opts.lookup.get<ClusterInterceptor>('ClusterInterceptor', undefined, name);
  if (!obj) return { httpStatus: 500, message: `${kind === 'NamespacedInterceptor' ? `Interceptor ${cx.namespace}/` : 'ClusterInterceptor '}${name} not found` };
  const found = interceptorUrl(obj);
  if (!found) return { httpStatus: 500, message: `interceptor ${name} has no clientConfig.url or service` };
  const url = opts.resolveUrl ? await opts.resolveUrl(found) : found;
  const r = await send(url, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(req), timeoutMs: opts.httpTimeoutMs, caBundle: obj.spec.clientConfig.caBundle });
  if (r.status !== 200) return { httpStatus: 502, message: `interceptor ${name} answered HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 200)}` };
  try {
    const resp = JSON.parse(r.body.toString('utf8')) as InterceptorResponse;
    if (typeof resp !== 'object' || resp === null || typeof resp.continue !== 'boolean') throw new Error('no "continue" field');
    return resp;
  } catch (err) {
    return { httpStatus: 502, message: `interceptor ${name} answered an invalid InterceptorResponse: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The URL of an Interceptor/ClusterInterceptor: status.address.url, clientConfig.url, or its Service. */
export function interceptorUrl(obj: Interceptor | ClusterInterceptor): string | undefined {
  if (obj.status?.address?.url) return obj.status.address.url;
  const cc = obj.spec?.clientConfig;
  if (cc?.url) return cc.url;
  const svc = cc?.service;
  if (!svc) return undefined;
  const tls = Boolean(cc.caBundle);
  const port = svc.port ?? (tls ? 8443 : 80);
  return `${tls ? 'https' : 'http'}://${svc.name}.${svc.namespace}.svc:${port}${svc.path ?? ''}`;
}

/** Headers that describe one connection or message, not the event: never forwarded or adopted. */
const HOP_HEADERS = new Set(['Host', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Keep-Alive', 'Expect', 'Upgrade', 'Te', 'Trailer', 'Proxy-Connection']);

async function runLegacyWebhook(ic: TriggerInterceptor, ev: ChainEvent, cx: ChainContext, opts: ChainOptions): Promise<ChainEvent | ChainStop> {
  const wh = ic.webhook ?? {};
  const ref = wh.objectRef;
  if (!wh.url && ref && (ref.kind !== 'Service' || ref.apiVersion !== 'v1' || !ref.name)) {
    return { kind: 'error', httpStatus: 500, message: `webhook interceptor objectRef must name a v1 Service (got ${ref.apiVersion ?? '?'} ${ref.kind ?? '?'} ${ref.name ?? ''})` };
  }
  // as Triggers: a Service is reached over plain HTTP on port 80 at its cluster DNS name
  const serviceUrl = wh.url ?? (ref?.name ? `http://${ref.name}.${ref.namespace || cx.namespace}.svc/` : undefined);
  if (!serviceUrl) return { kind: 'error', httpStatus: 500, message: 'webhook interceptor has neither url nor objectRef' };
  const url = opts.resolveUrl ? await opts.resolveUrl(serviceUrl) : serviceUrl;
  let body: Buffer = ev.rawBody;
  if (Object.keys(ev.extensions).length > 0 && ev.parsedBody !== null && typeof ev.parsedBody === 'object' && !Array.isArray(ev.parsedBody)) {
    const merged = { ...(ev.parsedBody as Record<string, unknown>) };
    setPath(merged, 'extensions', ev.extensions);
    body = Buffer.from(JSON.stringify(merged));
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(ev.header)) if (!HOP_HEADERS.has(k)) headers[k] = v;
  for (const h of wh.header ?? []) headers[h.name] = Array.isArray(h.value) ? h.value : String(h.value);
  const r = await send(url, { headers, body, timeoutMs: opts.httpTimeoutMs });
  if (r.status >= 500) return { kind: 'error', httpStatus: 502, message: `webhook interceptor ${url} answered HTTP ${r.status}` };
  if (r.status !== 200) return { kind: 'rejected', code: 9, message: `webhook interceptor ${url} answered HTTP ${r.status}` };
  let parsed: unknown = null;
  try {
    parsed = r.body.length ? JSON.parse(r.body.toString('utf8')) : null;
  } catch {
    return { kind: 'error', httpStatus: 502, message: `webhook interceptor ${url} answered a body that is not JSON` };
  }
  const header = canonicalHeaders(r.headers);
  for (const hop of [...HOP_HEADERS, 'Date']) delete header[hop];
  return { rawBody: r.body, parsedBody: parsed, header, extensions: ev.extensions };
}
