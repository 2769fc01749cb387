/**
 * A small typed Kubernetes client for every kind in the registry, used by controllers, the kubelet, the CLI
 * and the EventListener sink. Kubeconfig files (contexts, auth plugins, in-cluster config, TLS) are read with
 * @kubernetes/client-node's KubeConfig; requests and watches go straight over keep-alive HTTP(S) so that any kind
 * of the registry (and its /status subresource) is one code path. client-node is loaded only when a kubeconfig is
 * read: importing it costs about a second of CPU, which embedded mode (which knows its server) does not pay.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { convertObject } from '../api/convert/index.js';
import { apiVersionOf, kindFor, servedVersions, type KindInfo } from '../api/registry.js';
import type { KubeObject } from '../api/types.js';
import { ApiError } from './errors.js';
import { inProcessText, inProcessValue, inProcessWatch, type InProcessHttp, type InProcessRequest } from './in-process.js';
import { jsonCopy } from './json-copy.js';
import { connectionOf, directConnection, localAgent, type Connection } from './connection.js';
import { readWatchStream } from './watch-stream.js';

export { connectionOf, directConnection, loadKubeConfig, type Connection } from './connection.js';

export type PatchType = 'merge' | 'json' | 'strategic';
const patchContentType: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ObjectList<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A kind reference: `{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }`. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

/**
 * A read-through cache a client view consults (see {@link KubeClient.withCache}): `lookup` answers objects it
 * holds (e.g. from informers) so that `get` needs no request; `observe` is told every object a write returned,
 * so that caches see the client's own writes before their watch delivers them.
 */
export interface ClientCache {
  lookup(ref: KindRef, namespace: string | undefined, name: string): KubeObject | undefined;
  observe?(obj: KubeObject): void;
}

function infoOf(ref: KindRef): KindInfo {
  const info = kindFor(ref.apiVersion, ref.kind);
  if (!info) throw new Error(`unknown kind ${ref.kind} in ${ref.apiVersion}`);
  return info;
}

/** The REST path of a kind's collection or object (`/apis/tekton.dev/v1/namespaces/ns/taskruns/x`). */
export function resourcePath(info: KindInfo, namespace?: string, name?: string, sub?: string): string {
  let p = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  if (info.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${info.plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

/** Content types whose bodies may go in process as values (see inProcessRequestOf). */
const JSON_TYPES = new Set(['application/json', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json']);

/**
 * Bodies whose JSON may be longer than this go in process as text (json-copy.ts counts generously), so that the
 * API server's body limit (3 MiB) judges their real length as it does over HTTP.
 */
const VALUE_BODY_BYTES = 1024 * 1024;

/** A request body as sent: text as it is, anything else as JSON. */
const payloadOf = (body: unknown): string | undefined => (body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));

function query(opts: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Typed access to the API server of one kubeconfig context. */
export class KubeClient {
  readonly connection: Connection;
  readonly server: URL;
  private readonly agent: http.Agent;
  private readonly watchAgent: http.Agent;
  private readonly cache?: ClientCache;
  private readonly impersonate?: string;
  private authed?: Promise<https.RequestOptions>;

  /** `opts.agent` shares another client's connections; `opts.cache` is consulted by get() (see withCache). */
  constructor(config: KubeConfig | Connection, opts: { agent?: http.Agent; watchAgent?: http.Agent; cache?: ClientCache; impersonate?: string } = {}) {
    this.connection = 'getCurrentCluster' in config ? connectionOf(config) : config;
    this.server = new URL(this.connection.server);
    const isHttps = this.server.protocol === 'https:';
    const socketPath = this.connection.socketPath;
    const agent = (o: http.AgentOptions): http.Agent => (socketPath ? localAgent(isHttps, socketPath, o) : isHttps ? new https.Agent(o) : new http.Agent(o));
    this.agent = opts.agent ?? agent({ keepAlive: true, maxSockets: 64 });
    this.watchAgent = opts.watchAgent ?? agent({ keepAlive: false });
    this.cache = opts.cache;
    this.impersonate = opts.impersonate;
  }

  /** A view of this client (same connections) whose requests carry `Impersonate-User: user` (as client-go's ImpersonationConfig). */
  impersonating(user: string): KubeClient {
    return new KubeClient(this.connection, { agent: this.agent, watchAgent: this.watchAgent, impersonate: user });
  }

  /** A client of a known server (embedded mode): no kubeconfig file, no client-node. */
  static forServer(opts: { server: string; token: string; ca?: string; namespace?: string; socketPath?: string; inProcess?: InProcessHttp }): KubeClient {
    return new KubeClient(directConnection(opts));
  }

  /**
   * A view of this client (same configuration and connections) whose get() answers from `cache` when it holds the
   * object (a deep copy, so callers may change it) and asks the API server otherwise, and whose writes are passed
   * to `cache.observe`. Other clients are unaffected.
   */
  withCache(cache: ClientCache): KubeClient {
    return new KubeClient(this.connection, { agent: this.agent, watchAgent: this.watchAgent, cache });
  }

  private observed<T extends KubeObject>(obj: T): T {
    if (this.cache?.observe && obj?.metadata) this.cache.observe(obj);
    return obj;
  }

  /** The namespace of the current context, or `default`. */
  get defaultNamespace(): string {
    return this.connection.namespace;
  }

  /** The in-process entry for a request to `path` (pod logs and exec stream over the socket). */
  private inProcessFor(path: string): InProcessHttp | undefined {
    const local = this.connection.inProcess;
    return local && !/\/(log|exec|attach)(\?|$)/.test(path) ? local : undefined;
  }

  /** `payload`: the body as text, or (in process) as a value, see inProcessRequestOf. */
  private requestOf(base: https.RequestOptions, method: string, path: string, payload: string | { value: unknown } | undefined, contentType: string): InProcessRequest {
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [k, v] of Object.entries(base.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (payload !== undefined) headers['Content-Type'] = contentType;
    const req: InProcessRequest = { method, path: this.server.pathname.replace(/\/$/, '') + path, headers };
    if (typeof payload === 'string') req.body = payload;
    else if (payload !== undefined) req.value = payload.value;
    return req;
  }

  /** An in-process request: a JSON body goes over as a copy of the value (InProcessRequest.value) unless it is large. */
  private inProcessRequestOf(base: https.RequestOptions, method: string, path: string, body: unknown, contentType: string): InProcessRequest {
    if (body !== undefined && typeof body !== 'string' && JSON_TYPES.has(contentType)) {
      const value = jsonCopy(body, VALUE_BODY_BYTES);
      if (value !== undefined) return this.requestOf(base, method, path, { value }, contentType);
    }
    return this.requestOf(base, method, path, payloadOf(body), contentType);
  }

  private options(): Promise<https.RequestOptions> {
    this.authed ??= (async () => {
      const o: https.RequestOptions = {};
      await this.connection.applyToHTTPSOptions(o);
      if (this.impersonate) o.headers = { ...(o.headers ?? {}), 'Impersonate-User': this.impersonate };
      return o;
    })();
    return this.authed;
  }

  /** The URL of an API path and the TLS and auth options a streaming connection (WebSocket) to it needs. */
  async streamTarget(path: string): Promise<{ url: URL; options: https.RequestOptions }> {
    const url = new URL(this.server.pathname.replace(/\/$/, '') + path, this.server);
    return { url, options: await this.options() };
  }

  /**
   * Sends one request; answers the parsed JSON body, throws ApiError for non-2xx statuses. In process, a stored
   * object may come back as itself, deep-frozen (see inProcessValue): copy what you change.
   */
  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const local = this.inProcessFor(path);
    if (local) {
      const base = await this.options();
      return inProcessValue<T>(local, this.inProcessRequestOf(base, method, path, body, contentType));
    }
    const text = await this.requestText(method, path, body, contentType);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Like {@link request} but answers the raw body text. */
  async requestText(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<string> {
    const base = await this.options();
    const payload = payloadOf(body);
    const local = this.inProcessFor(path);
    if (local) return inProcessText(local, this.requestOf(base, method, path, payload, contentType));
    const mod = this.server.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request({
        ...base,
        agent: this.agent,
        protocol: this.server.protocol,
        hostname: this.server.hostname,
        port: this.server.port,
        method,
        path: this.server.pathname.replace(/\/$/, '') + path,
        headers: {
          ...(base.headers ?? {}),
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text);
          else reject(ApiError.fromResponse(status, text, `${method} ${path}`));
        });
        res.on('error', reject);
      });
      req.on('error', (err) => reject(ApiError.unreachable(this.server.href, err)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async get<T extends KubeObject>(ref: KindRef, namespace: string | undefined, name: string): Promise<T> {
    const hit = this.cache?.lookup(ref, namespace, name);
    if (hit) return structuredClone(hit) as T;
    return this.request<T>('GET', resourcePath(infoOf(ref), namespace, name));
  }

  /** Like {@link get} but answers undefined for NotFound. */
  async tryGet<T extends KubeObject>(ref: KindRef, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get<T>(ref, namespace, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObject>(ref: KindRef, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const q = query({ ...opts });
    const list = await this.request<ObjectList<T>>('GET', resourcePath(infoOf(ref), namespace) + q);
    for (const item of list.items) {
      item.apiVersion ??= ref.apiVersion;
      item.kind ??= ref.kind;
    }
    return list;
  }

  /**
   * Creates an object. One written in another version the kind serves (tekton.dev/v1beta1) is sent as it is, so
   * the server converts and admits it as written; the answer is always in the storage version.
   */
  async create<T extends KubeObject>(obj: T, opts: { dryRun?: boolean } = {}): Promise<T> {
    const info = infoOf(obj);
    const ns = info.namespaced ? (obj.metadata.namespace ?? this.defaultNamespace) : undefined;
    const asked = obj.apiVersion?.slice(obj.apiVersion.indexOf('/') + 1) ?? '';
    const at = servedVersions(info).includes(asked) ? { ...info, version: asked } : info;
    const body = { ...obj, apiVersion: apiVersionOf(at), metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) } };
    const answer = await this.request<T>('POST', resourcePath(at, ns) + query({ dryRun: opts.dryRun ? 'All' : undefined }), body);
    const created = at === info ? answer : convertObject(answer, apiVersionOf(info));
    return opts.dryRun ? created : this.observed(created);
  }

  /** PUT of the whole object (optimistic concurrency on metadata.resourceVersion). */
  async update<T extends KubeObject>(obj: T, opts: { dryRun?: boolean } = {}): Promise<T> {
    const info = infoOf(obj);
    const updated = await this.request<T>('PUT', resourcePath(info, obj.metadata.namespace, obj.metadata.name) + query({ dryRun: opts.dryRun ? 'All' : undefined }), obj);
    return opts.dryRun ? updated : this.observed(updated);
  }

  /** PUT of the /status subresource. */
  async updateStatus<T extends KubeObject>(obj: T): Promise<T> {
    const info = infoOf(obj);
    return this.observed(await this.request<T>('PUT', resourcePath(info, obj.metadata.namespace, obj.metadata.name, 'status'), obj));
  }

  async patch<T extends KubeObject>(ref: KindRef, namespace: string | undefined, name: string, patch: unknown, opts: { type?: PatchType; status?: boolean } = {}): Promise<T> {
    const type = opts.type ?? 'merge';
    const path = resourcePath(infoOf(ref), namespace, name, opts.status ? 'status' : undefined);
    return this.observed(await this.request<T>('PATCH', path, patch, patchContentType[type]));
  }

  /** Deletes an object; NotFound counts as done. */
  async delete(ref: KindRef, namespace: string | undefined, name: string, opts: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {}): Promise<void> {
    try {
      await this.request('DELETE', resourcePath(infoOf(ref), namespace, name), { propagationPolicy: opts.propagationPolicy ?? 'Background' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return;
      throw err;
    }
  }

  /** Reads a container's log (`follow` streams into `onData` until the server ends the response). */
  async podLog(namespace: string, pod: string, options: { container?: string; follow?: boolean; timestamps?: boolean; tailLines?: number; limitBytes?: number; signal?: AbortSignal }, onData?: (chunk: string) => void): Promise<string> {
    const { signal, ...opts } = options;
    const path = resourcePath(infoOf({ apiVersion: 'v1', kind: 'Pod' }), namespace, pod, 'log') + query({ ...opts });
    if (!onData) return this.requestText('GET', path);
    const base = await this.options();
    const mod = this.server.protocol === 'https:' ? https : http;
    return new Promise((resolveStream, rejectStream) => {
      // a stream stopped by its reader (signal) ends quietly; a stream that ends removes its listener (one signal
      // may serve many streams in turn: every container of a run)
      const onAbort = (): void => {
        req.destroy();
        resolve('');
      };
      const settle = (): void => signal?.removeEventListener('abort', onAbort);
      const resolve = (v: string): void => { settle(); resolveStream(v); };
      const reject = (err: unknown): void => { settle(); rejectStream(err); };
      const req = mod.request({ ...base, agent: this.agent, protocol: this.server.protocol, hostname: this.server.hostname, port: this.server.port, method: 'GET', path: this.server.pathname.replace(/\/$/, '') + path }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => reject(ApiError.fromResponse(status, Buffer.concat(chunks).toString('utf8'), `GET ${path}`)));
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (c: string) => onData(c));
        res.on('end', () => resolve(''));
        res.on('error', reject);
      });
      req.on('error', (err) => reject(signal?.aborted ? err : ApiError.unreachable(this.server.href, err)));
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.end();
    });
  }

  /**
   * Watches a collection. `onEvent` gets every event (BOOKMARK and ERROR included); `onDone` is called once when
   * the stream ends or fails. Answers a function that stops the watch.
   */
  async watch<T extends KubeObject>(ref: KindRef, namespace: string | undefined, opts: ListOptions & { allowWatchBookmarks?: boolean; timeoutSeconds?: number }, onEvent: (type: WatchEventType, obj: T) => void, onDone: (err?: unknown) => void): Promise<() => void> {
    const base = await this.options();
    const path = resourcePath(infoOf(ref), namespace) + query({ ...opts, watch: true });
    let finished = false;
    const finish = (err?: unknown): void => {
      if (finished) return;
      finished = true;
      onDone(err);
    };
    const local = this.inProcessFor(path);
    if (local) {
      const stop = inProcessWatch(local, this.requestOf(base, 'GET', path, undefined, ''), onEvent, finish);
      return () => {
        finish();
        stop();
      };
    }
    const mod = this.server.protocol === 'https:' ? https : http;
    const req = mod.request({
      ...base, agent: this.watchAgent, protocol: this.server.protocol, hostname: this.server.hostname, port: this.server.port,
      method: 'GET', path: this.server.pathname.replace(/\/$/, '') + path, headers: { ...(base.headers ?? {}), Accept: 'application/json' },
    }, (res) => readWatchStream(res, `GET ${path}`, onEvent, finish));
    req.on('error', (err) => finish(finished ? undefined : ApiError.unreachable(this.server.href, err)));
    req.end();
    return () => {
      finish();
      req.destroy();
    };
  }
}
