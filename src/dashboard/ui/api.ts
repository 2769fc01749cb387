/** The dashboard's backend, as the page reaches it: JSON reads, actions, event streams (all relative URLs). */

/** A failed request, with the server's message. */
export class RequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function answer<T>(res: Response): Promise<T> {
  if (res.ok) return (await res.json()) as T;
  let message = `${res.status} ${res.statusText}`;
  try {
    message = ((await res.json()) as { error?: string }).error ?? message;
  } catch {
    // not JSON
  }
  throw new RequestError(res.status, message);
}

/** GET api/<path> as JSON. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(`api/${path}`, { signal, headers: { Accept: 'application/json' } }));
}

/** GET api/<path> as text. */
export async function getText(path: string, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`api/${path}`, { signal });
  if (!res.ok) await answer(res);
  return res.text();
}

/** Runs an action on a run; answers the server's message (and a rerun's new name). */
export async function runAction(kind: string, namespace: string, name: string, action: string): Promise<{ message: string; name?: string }> {
  const path = ['actions', kind, namespace, name, action].map(encodeURIComponent).join('/');
  return answer(await fetch(`api/${path}`, { method: 'POST', headers: { 'x-tektite-dashboard': '1', Accept: 'application/json' } }));
}

/** Path segments, each encoded. */
export function path(...parts: string[]): string {
  return parts.map(encodeURIComponent).join('/');
}

/** Opens an event stream; `handlers` by event name. Answers the closer. */
export function subscribe(p: string, handlers: Record<string, (data: unknown) => void>, onState?: (open: boolean) => void): () => void {
  const es = new EventSource(`api/${p}`);
  for (const [name, fn] of Object.entries(handlers)) es.addEventListener(name, (e) => fn(JSON.parse((e as MessageEvent<string>).data)));
  es.onopen = () => onState?.(true);
  es.onerror = () => onState?.(false);
  return () => es.close();
}
