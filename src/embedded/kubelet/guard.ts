/** Keeps failures of side work (log storage, cleanup) from escaping as uncaught errors: they are logged. */
import type { KubeletLogger, LogSink } from './types.js';

/** Runs `work` in the background, logging a failure instead of rejecting. */
export function quietly(work: () => Promise<unknown>, log: KubeletLogger, what: string): void {
  let p: Promise<unknown>;
  try {
    p = work();
  } catch (err) {
    p = Promise.reject(err);
  }
  p.catch((err: unknown) => log.warn(`kubelet: ${what}: ${(err as Error)?.message ?? String(err)}`));
}

/** A LogSink that never throws: a failing append or finish is logged (once per container) and dropped. */
export function guardLogs(inner: LogSink, log: KubeletLogger): LogSink {
  const warned = new Set<string>();
  const call = (what: string, ns: string, pod: string, container: string, f: () => unknown): void => {
    quietly(async () => f(), { warn: (msg) => {
      const key = `${ns}/${pod}/${container}`;
      if (warned.has(key)) return;
      warned.add(key);
      log.warn(msg);
    } }, `log ${what} of ${ns}/${pod}/${container}`);
  };
  return {
    append: (ns, pod, container, chunk) => call('append', ns, pod, container, () => inner.append(ns, pod, container, chunk)),
    finish: (ns, pod, container) => call('finish', ns, pod, container, () => inner.finish(ns, pod, container)),
    open: (ns, pod) => call('open', ns, pod, '', () => inner.open?.(ns, pod)),
  };
}
