/**
 * Hash routes (`#/pipelineruns/ns/name?task=build&step=compile&line=42`), so that every view is a link that
 * works behind any path prefix (kubectl proxy, an ingress) with no server rewrite.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  parts: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const p = q < 0 ? raw : raw.slice(0, q);
  return { parts: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** The hash of a route: parts and query (empty values dropped). */
export function href(parts: string[], query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}

/** Goes to a route; `replace` keeps history clean for changes like a selected line. */
export function go(to: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', to);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else location.hash = to;
}

/** The current route, re-rendered on change. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** The same route with some query values changed. */
export function withQuery(route: Route, changes: Record<string, string | number | undefined>): string {
  const q: Record<string, string> = Object.fromEntries(route.query.entries());
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') delete q[k];
    else q[k] = String(v);
  }
  return href(route.parts, q);
}
