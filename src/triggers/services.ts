/**
 * Service addresses for a sink running on this machine (embedded mode), where cluster DNS does not exist: a URL whose
 * host is `<name>.<namespace>.svc[.cluster.local]` goes to the Service's `spec.externalName` (a Service of type
 * ExternalName pointing at this machine or another host), at the `targetPort` of the Service port the URL names
 * (80 when it names none), or that port itself. Other URLs, and Services of other types, are used as they are.
 */
import type { KubeObject } from '../api/types.js';
import type { KubeClient } from '../kube/client.js';

interface ServiceLike extends KubeObject {
  spec?: { type?: string; externalName?: string; ports?: Array<{ port?: number; targetPort?: number | string }> };
}

const SVC_HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;

/** Maps a Service URL to the address its ExternalName Service names; the URL unchanged otherwise. */
export function serviceResolver(client: KubeClient): (url: string) => Promise<string> {
  return async (url) => {
    const u = new URL(url);
    const m = SVC_HOST.exec(u.hostname);
    if (!m) return url;
    const svc = await client.tryGet<ServiceLike>({ apiVersion: 'v1', kind: 'Service' }, m[3], m[1] as string).catch(() => undefined);
    const host = svc?.spec?.type === 'ExternalName' ? svc.spec.externalName : undefined;
    if (!host) return url;
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    const target = svc?.spec?.ports?.find((p) => p.port === port)?.targetPort;
    u.hostname = host;
    u.port = String(typeof target === 'number' ? target : port);
    return u.toString();
  };
}
