/** Parsing of the EventListener sink flags of `tkt up` and `tkt eventlistener` (`--el-port`, `--el-port-range`, `--interceptor-timeout`). */
import { parseGoDuration } from '../api/validate/duration.js';
import { UsageError } from './errors.js';

/** Parses `--interceptor-timeout DUR` (a Go duration, e.g. 5s) into milliseconds. */
export function parseInterceptorTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseGoDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`invalid --interceptor-timeout "${text}": expected a positive duration such as 5s or 1500ms`);
  return ms;
}

function portNumber(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new UsageError(`invalid ${what} "${text}": expected a port 1-65535`);
  return n;
}

/** Parses `--el-port NAME=PORT` / `NS/NAME=PORT` values. */
export function parseElPorts(values: readonly string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values ?? []) {
    const i = v.lastIndexOf('=');
    if (i <= 0) throw new UsageError(`invalid --el-port "${v}": expected NAME=PORT or NAMESPACE/NAME=PORT`);
    out[v.slice(0, i)] = portNumber(v.slice(i + 1), '--el-port');
  }
  return out;
}

/** Parses `--el-port-range FROM-TO`. */
export function parsePortRange(text: string | undefined): { from: number; to: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m) throw new UsageError(`invalid --el-port-range "${text}": expected FROM-TO, e.g. 8080-8099`);
  const from = portNumber(m[1] as string, '--el-port-range');
  const to = portNumber(m[2] as string, '--el-port-range');
  if (from > to) throw new UsageError(`invalid --el-port-range "${text}": FROM must not be above TO`);
  return { from, to };
}
