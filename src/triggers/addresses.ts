/**
 * Stable sink addresses for embedded mode. The port of an EventListener's sink comes from, in order:
 * `tkt up --el-port NAME=PORT` (or `NS/NAME=PORT`), the listener's `spec.resources.kubernetesResource.servicePort`,
 * the port it had before (kept in `<data-dir>/eventlisteners.json`), the next free port of `--el-port-range`, or an
 * ephemeral port — which is then remembered, so that a restarted `tkt up` serves every listener where it was.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EventListener } from '../api/types.js';

/** How sink ports are chosen. */
export interface SinkAddressOptions {
  /** Listen address of every sink (default 127.0.0.1). */
  host?: string;
  /** Fixed ports by `name` or `namespace/name`. */
  ports?: Record<string, number>;
  /** Ports handed out in order to listeners with no fixed or remembered port. */
  portRange?: { from: number; to: number };
  /** Where ports are remembered across restarts (absent: not remembered). */
  stateFile?: string;
}

/** Where a port came from. */
export type PortSource = 'flag' | 'servicePort' | 'remembered' | 'range' | 'ephemeral';

/** The fixed port of a listener, if the user gave one (pure). */
export function fixedPort(el: EventListener, opts: SinkAddressOptions): { port: number; source: PortSource } | undefined {
  const name = el.metadata.name ?? '';
  const ns = el.metadata.namespace ?? 'default';
  const flag = opts.ports?.[`${ns}/${name}`] ?? opts.ports?.[name];
  if (flag !== undefined) return { port: flag, source: 'flag' };
  const sp = el.spec.resources?.kubernetesResource?.servicePort;
  if (typeof sp === 'number' && sp > 0) return { port: sp, source: 'servicePort' };
  return undefined;
}

/** The port for a listener with no fixed port: remembered, else the first free one of the range, else 0 (pure). */
export function automaticPort(key: string, remembered: ReadonlyMap<string, number>, opts: SinkAddressOptions, taken: ReadonlySet<number>): { port: number; source: PortSource } {
  const old = remembered.get(key);
  if (old !== undefined) return { port: old, source: 'remembered' };
  const r = opts.portRange;
  if (r) {
    const used = new Set([...taken, ...remembered.values()]);
    for (let p = r.from; p <= r.to; p++) if (!used.has(p)) return { port: p, source: 'range' };
  }
  return { port: 0, source: 'ephemeral' };
}

/** Ports remembered in a small JSON file (owner-only), rewritten atomically on change. */
export class PortMemory {
  readonly ports = new Map<string, number>();

  constructor(private readonly file: string | undefined) {
    if (!file || !existsSync(file)) return;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { ports?: Record<string, unknown> };
      for (const [k, v] of Object.entries(data.ports ?? {})) if (typeof v === 'number') this.ports.set(k, v);
    } catch {
      // an unreadable file only loses the remembered ports
    }
  }

  set(key: string, port: number): void {
    if (this.ports.get(key) === port) return;
    this.ports.set(key, port);
    this.save();
  }

  delete(key: string): void {
    if (this.ports.delete(key)) this.save();
  }

  private save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ ports: Object.fromEntries([...this.ports].sort(([a], [b]) => a.localeCompare(b))) }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
