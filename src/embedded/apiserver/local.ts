/**
 * In-process access to the API servers running in this process. Embedded mode runs the EventListener sinks next
 * to the API server; going through HTTPS to reach a server in the same process costs more CPU than the write
 * itself. A server registers itself here under its URL and token; a caller that holds a client for that URL and
 * token may use the same write path directly (admission, defaults, group commit, answered after the commit).
 * This module is only the registry, so that cluster-mode code can ask without loading the server.
 */
import type { KubeObject } from '../../api/types.js';

/** Writes into an API server of this process, with the semantics of the HTTP API. */
export interface LocalApi {
  /**
   * Like `POST` of the object to its collection (namespace from the object, else `namespace`). Answers the
   * stored object, which is frozen (copy it before changing it). Fails with the ApiError the HTTP API would give.
   */
  create(obj: KubeObject, namespace?: string, opts?: LocalCreateOptions): Promise<KubeObject>;
  /** Like `DELETE` with propagationPolicy Background; NotFound counts as done. */
  remove(obj: KubeObject, namespace?: string): Promise<void>;
}

/** Options of {@link LocalApi.create}. */
export interface LocalCreateOptions {
  /**
   * The caller hands the object over: it is plain JSON data (as JSON.parse makes it: no undefined, Dates, class
   * instances or shared parts) that the caller neither reads nor changes again. It is then used as it is, without
   * the JSON copy that stands for the wire (parts of it may end up frozen in the store).
   */
  handOver?: boolean;
}

const servers = new Map<string, { token: string; api: LocalApi }>();

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Registers a server of this process; answers the function that removes it again. */
export function registerLocalApi(url: string, token: string, api: LocalApi): () => void {
  const key = originOf(url) ?? url;
  const entry = { token, api };
  servers.set(key, entry);
  return () => {
    if (servers.get(key) === entry) servers.delete(key);
  };
}

/** The in-process API server at `url`, when there is one and `token` is its token. */
export function localApiFor(url: string, token: string | undefined): LocalApi | undefined {
  const key = originOf(url);
  const entry = key === undefined ? undefined : servers.get(key);
  return entry && token !== undefined && entry.token === token ? entry.api : undefined;
}
