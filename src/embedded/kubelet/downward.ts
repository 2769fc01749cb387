/** The downward API: values of a pod's own fields, for env `fieldRef` and downwardAPI volume files. */
import type { Pod } from '../../api/types.js';

const KEYED = /^metadata\.(labels|annotations)\[['"]?(.+?)['"]?\]$/;

/** Formats a label or annotation map as Kubernetes does in downward files: `key="value"` lines, sorted. */
export function formatMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`).join('\n');
}

/**
 * The value of a fieldRef path of the pod, or undefined when the path is not supported.
 * A missing label or annotation is the empty string (as in Kubernetes).
 */
export function fieldValue(pod: Pod, fieldPath: string, nodeName: string): string | undefined {
  const md = pod.metadata;
  const keyed = KEYED.exec(fieldPath);
  if (keyed) {
    const map = keyed[1] === 'labels' ? md.labels : md.annotations;
    return map?.[keyed[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name': return md.name ?? '';
    case 'metadata.namespace': return md.namespace ?? '';
    case 'metadata.uid': return md.uid ?? '';
    case 'metadata.labels': return formatMap(md.labels);
    case 'metadata.annotations': return formatMap(md.annotations);
    case 'spec.nodeName': return (pod.spec.nodeName as string | undefined) ?? nodeName;
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
    case 'status.hostIP':
    case 'status.podIP':
    case 'status.podIPs':
    case 'status.hostIPs': return '127.0.0.1';
    default: return undefined;
  }
}
