/** ConfigMap and Secret contents for env and volumes, fetched once per pod start. */
import type { KubeObject } from '../../api/types.js';
import type { KubeClient } from '../../kube/client.js';

/** Key → bytes of a ConfigMap (`data` + `binaryData`) or Secret (`data` base64 + `stringData`). */
export type KeyData = Map<string, Buffer>;

/** A configuration problem that may go away (the object can be created later). */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const CM = { apiVersion: 'v1', kind: 'ConfigMap' };
const SECRET = { apiVersion: 'v1', kind: 'Secret' };

function toKeyData(obj: KubeObject, secret: boolean): KeyData {
  const out: KeyData = new Map();
  const data = (obj.data ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(data)) out.set(k, secret ? Buffer.from(v, 'base64') : Buffer.from(v, 'utf8'));
  const other = (secret ? obj.stringData : obj.binaryData) as Record<string, string> | undefined;
  for (const [k, v] of Object.entries(other ?? {})) out.set(k, secret ? Buffer.from(v, 'utf8') : Buffer.from(v, 'base64'));
  return out;
}

/** Reads ConfigMaps and Secrets of one namespace, caching each for the lifetime of the object. */
export class SourceCache {
  private readonly cache = new Map<string, Promise<KeyData | undefined>>();

  constructor(private readonly client: KubeClient, private readonly namespace: string) {}

  /** The ConfigMap's keys, or undefined when it does not exist. */
  configMap(name: string): Promise<KeyData | undefined> {
    return this.fetch('cm', name, false);
  }

  /** The Secret's keys (decoded), or undefined when it does not exist. */
  secret(name: string): Promise<KeyData | undefined> {
    return this.fetch('secret', name, true);
  }

  /** Like configMap/secret but throws ConfigError when the object is missing and not optional. */
  async need(kind: 'configmap' | 'secret', name: string, optional: boolean | undefined): Promise<KeyData> {
    const got = kind === 'configmap' ? await this.configMap(name) : await this.secret(name);
    if (got) return got;
    if (optional) return new Map();
    throw new ConfigError(`${kind} "${name}" not found`);
  }

  private fetch(tag: string, name: string, secret: boolean): Promise<KeyData | undefined> {
    const key = `${tag}/${name}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.client.tryGet<KubeObject>(secret ? SECRET : CM, this.namespace, name).then((o) => (o ? toKeyData(o, secret) : undefined));
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return p;
  }

  /** Forgets everything (before a retry). */
  clear(): void {
    this.cache.clear();
  }
}
