/**
 * Request accounting for `--count-requests`: wraps KubeClient.requestText (every CRUD request of every client in
 * this process; watches are not included) and tallies requests by caller (kubelet, controller, bench), method
 * and path pattern. Costs a stack capture per request, so figures taken with it on are not comparable.
 */
import { KubeClient } from '../../src/kube/client.js';

const counts = new Map<string, number>();

/** Starts counting (idempotent). */
export function countRequests(): void {
  const proto = KubeClient.prototype as unknown as { requestText: (...a: unknown[]) => Promise<string>; counted?: boolean };
  if (proto.counted) return;
  proto.counted = true;
  const orig = proto.requestText;
  proto.requestText = function (this: KubeClient, ...args: unknown[]) {
    const stack = new Error().stack ?? '';
    const who = stack.includes('/kubelet/') ? 'kubelet' : stack.includes('/controller/') ? 'controller' : 'bench';
    const path = String(args[1]).replace(/\/namespaces\/[^/]+/, '').replace(/\?.*/, '').replace(/^(\/apis?\/(?:[^/]+\/)?v1\/[^/]+)\/[^/]+/, '$1/NAME');
    const key = `${who} ${String(args[0])} ${path}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return orig.apply(this, args);
  };
}

/** Lines "count per unit  caller METHOD path", most frequent first; resets the tally. */
export function requestReport(perUnit: number, unit: string): string[] {
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `    ${(n / perUnit).toFixed(2).padStart(7)} per ${unit}  ${k}`);
  counts.clear();
  return rows;
}
