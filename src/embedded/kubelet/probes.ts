/**
 * Startup and readiness probes (exec, httpGet, tcpSocket). A container with neither is ready shortly after it runs;
 * otherwise it becomes ready once its startup probe has passed and then its readiness probe passes, probed every
 * periodSeconds after initialDelaySeconds (Kubernetes defaults: period 10 s, timeout 1 s, thresholds 1/3).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Probe } from '../../api/types.js';
import type { ContainerHandle, KubeletLogger } from './types.js';

/** A running probe loop. */
export interface ProbeLoop {
  stop(): void;
}

function portOf(c: Container, port: number | string): number {
  if (typeof port === 'number') return port;
  const named = c.ports?.find((p) => p.name === port);
  return named ? named.containerPort : Number(port);
}

/** The ports of a pod the kubelet connects to: its containers' ports and those its probes name. */
export function podPorts(containers: Container[]): number[] {
  const out = new Set<number>();
  for (const c of containers) {
    for (const p of c.ports ?? []) out.add(p.containerPort);
    for (const probe of [c.readinessProbe, c.startupProbe, (c as { livenessProbe?: Probe }).livenessProbe]) {
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
      if (port !== undefined && !(probe?.httpGet?.host ?? probe?.tcpSocket?.host)) out.add(portOf(c, port));
    }
  }
  return [...out].filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
}

/** Where a probe connects: its host, else wherever the runtime says the pod's port is reached. */
function target(c: Container, host: string | undefined, port: number | string, handle: ContainerHandle): { host: string; port: number } {
  const n = portOf(c, port);
  if (host) return { host, port: n };
  return handle.address?.(n) ?? { host: '127.0.0.1', port: n };
}

function httpProbe(c: Container, p: NonNullable<Probe['httpGet']>, timeoutMs: number, handle: ContainerHandle): Promise<boolean> {
  const mod = p.scheme?.toUpperCase() === 'HTTPS' ? https : http;
  const to = target(c, p.host, p.port, handle);
  return new Promise((resolve) => {
    const req = mod.get({ host: to.host, port: to.port, path: p.path || '/', timeout: timeoutMs, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
  });
}

function tcpProbe(c: Container, p: NonNullable<Probe['tcpSocket']>, timeoutMs: number, handle: ContainerHandle): Promise<boolean> {
  if (!p.host && handle.listening) return Promise.resolve(handle.listening(portOf(c, p.port)));
  const to = target(c, p.host, p.port, handle);
  return new Promise((resolve) => {
    const sock = net.connect(to);
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('connect', () => done(true));
    sock.on('error', () => done(false));
  });
}

/** Runs one probe once; answers whether it passed. */
export async function probeOnce(c: Container, p: Probe, handle: ContainerHandle): Promise<boolean> {
  const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
  if (p.exec) return (await handle.exec(p.exec.command, timeoutMs)) === 0;
  if (p.httpGet) return httpProbe(c, p.httpGet, timeoutMs, handle);
  if (p.tcpSocket) return tcpProbe(c, p.tcpSocket, timeoutMs, handle);
  return true;
}

const sleep = (ms: number, stopped: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const step = (): void => {
      if (stopped() || ms <= 0) return resolve();
      const d = Math.min(ms, 200);
      ms -= d;
      setTimeout(step, d);
    };
    step();
  });

async function untilPasses(c: Container, p: Probe, handle: ContainerHandle, stopped: () => boolean): Promise<void> {
  await sleep((p.initialDelaySeconds ?? 0) * 1000, stopped);
  while (!stopped()) {
    if (await probeOnce(c, p, handle)) return;
    await sleep((p.periodSeconds ?? 10) * 1000, stopped);
  }
}

async function readinessLoop(c: Container, p: Probe, handle: ContainerHandle, stopped: () => boolean, onReady: (r: boolean) => void): Promise<void> {
  let ok = 0;
  let bad = 0;
  while (!stopped()) {
    const passed = await probeOnce(c, p, handle);
    if (stopped()) return;
    ok = passed ? ok + 1 : 0;
    bad = passed ? 0 : bad + 1;
    if (ok >= (p.successThreshold ?? 1)) onReady(true);
    if (bad >= (p.failureThreshold ?? 3)) onReady(false);
    await sleep((p.periodSeconds ?? 10) * 1000, stopped);
  }
}

/**
 * A container without probes is reported ready this long after it starts. Kubernetes says ready at once, but on a
 * cluster Tekton's sidecar gate then takes seconds (controller round trip, downward-API refresh); here it takes
 * milliseconds, and sidecar scripts that prepare something in their first statement (Tekton's
 * sidecar-ready-script example) would lose the race. See docs/differences.md.
 */
export const NO_PROBE_READY_DELAY_MS = 250;

/** Starts the container's probes; `onReady` reports readiness changes (true shortly after start when there are none). */
export function startProbes(c: Container, handle: ContainerHandle, log: KubeletLogger, onReady: (ready: boolean) => void): ProbeLoop {
  let stopped = false;
  const isStopped = (): boolean => stopped;
  if (!c.startupProbe && !c.readinessProbe) {
    const t = setTimeout(() => onReady(true), NO_PROBE_READY_DELAY_MS);
    return { stop: () => clearTimeout(t) };
  }
  void (async () => {
    if (c.startupProbe) await untilPasses(c, c.startupProbe, handle, isStopped);
    if (stopped) return;
    if (!c.readinessProbe) return onReady(true);
    await sleep((c.readinessProbe.initialDelaySeconds ?? 0) * 1000, isStopped);
    await readinessLoop(c, c.readinessProbe, handle, isStopped, onReady);
  })().catch((err: unknown) => log.warn(`kubelet: probe of ${c.name}: ${(err as Error).message}`));
  return { stop: () => { stopped = true; } };
}
