/**
 * Where the time goes, for `--profile`: a V8 CPU profile of this process (node:inspector) taken around the
 * measured phase, each sample attributed to the component of the deepest frame from src/ that is on its stack:
 * API server (src/embedded/apiserver, incl. SQLite and admission it calls), kubelet (src/embedded/kubelet and
 * logs), controllers (src/controller, src/engine, src/pod), bench; requests of src/kube/client.ts count for the
 * component that made them, and response/watch callbacks with no caller on the stack as "client callbacks".
 * Samples with no src/ frame are GC, idle or "node internals" (HTTP, TLS, streams, timers). The profiler samples
 * wall time on the main thread, so on a busy machine shares are better figures than absolute times.
 */
import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';

/** A running profile. */
export interface ProfileHandle {
  /** Stops profiling; answers milliseconds of samples by component (idle excluded). */
  stop(saveTo?: string): Promise<Map<string, number>>;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

/** Starts the CPU profiler (500 µs sampling). */
export async function startProfile(): Promise<ProfileHandle> {
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', { interval: 500 });
  await post(session, 'Profiler.start');
  return {
    async stop(saveTo) {
      const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
      session.disconnect();
      if (saveTo) writeFileSync(saveTo, JSON.stringify(profile));
      return attribute(profile);
    },
  };
}

function componentOf(url: string): string | undefined {
  const m = /\/(src|bench)\/(.*)$/.exec(url);
  if (!m) return undefined;
  const file = `${m[1]}/${m[2]}`;
  if (file.startsWith('src/embedded/apiserver/')) return 'API server';
  if (file.startsWith('src/embedded/kubelet/') || file === 'src/embedded/logs.ts') return 'kubelet';
  if (/^src\/(controller|engine|pod)\//.test(file)) return 'controllers';
  if (file.startsWith('bench/')) return 'bench';
  return undefined; // src/api, src/kube: shared code, attributed to its caller
}

function leafName(node: Profiler.ProfileNode): string {
  const name = node.callFrame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'node internals';
  return 'node internals';
}

/** Milliseconds of samples by component. */
export function attribute(profile: Profiler.Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, string>();
  const areaOf = (leaf: number): string => {
    const cached = memo.get(leaf);
    if (cached) return cached;
    let sawClient = false;
    let area: string | undefined;
    for (let id: number | undefined = leaf; id !== undefined && !area; id = parent.get(id)) {
      const url = byId.get(id)?.callFrame.url ?? '';
      if (url.endsWith('/src/kube/client.ts')) sawClient = true;
      area = componentOf(url);
    }
    const node = byId.get(leaf);
    const result = area ?? (sawClient ? 'client callbacks' : node ? leafName(node) : 'node internals');
    memo.set(leaf, result);
    return result;
  };
  const out = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const area = areaOf(id);
    out.set(area, (out.get(area) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  out.delete('idle');
  return out;
}

/** "API server 41% (3.1 ms), kubelet 22% (1.7 ms), …" with each share scaled to `cpuMsPerUnit`. */
export function areaLine(areas: Map<string, number>, cpuMsPerUnit: number, unit: string): string {
  const total = [...areas.values()].reduce((a, b) => a + b, 0);
  return [...areas].sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${((100 * v) / total).toFixed(0)}% (${((cpuMsPerUnit * v) / total).toFixed(2)} ms/${unit})`)
    .join(', ');
}
