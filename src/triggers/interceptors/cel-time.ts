/**
 * The time-zone forms of CEL's timestamp accessors (`t.getHours(tz)` …) as cel-go evaluates them: `tz` is an IANA
 * name (`America/New_York`, `UTC`) or a fixed offset `[+|-]HH:MM`. The CEL library knows IANA names only, so parsed
 * one-argument accessor calls are renamed to these (cel-ext2.ts `rewriteAst`).
 */
import type { Environment } from '@marcbachmann/cel-js';

const ACCESSORS = ['getFullYear', 'getMonth', 'getDate', 'getDayOfMonth', 'getDayOfYear', 'getDayOfWeek', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds'] as const;
type Accessor = typeof ACCESSORS[number];

/** One-argument accessor names → the names we register. */
export const TZ_RENAMED: Record<string, string> = Object.fromEntries(ACCESSORS.map((a) => [a, `tektiteTz${a.slice(3)}`]));

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `d` in `tz`, as a Date whose UTC fields are that wall clock. */
function wallClock(d: Date, tz: string): Date {
  const colon = tz.indexOf(':');
  if (colon >= 0) {
    const hh = tz.slice(0, colon);
    const mm = tz.slice(colon + 1);
    if (!/^[+-]?\d+$/.test(hh) || !/^\d+$/.test(mm)) throw new Error(`invalid time zone offset ${JSON.stringify(tz)} (want [+|-]HH:MM)`);
    const h = Number(hh);
    const m = Number(mm);
    if (m > 59) throw new Error(`timezone offset minutes out of range [0, 59]: ${tz}`);
    const minutes = hh.startsWith('-') ? h * 60 - m : h * 60 + m;
    return new Date(d.getTime() + minutes * 60_000);
  }
  let f = formats.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new Error(`unknown time zone ${tz}`);
    }
    formats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, Number(x.value)]));
  const wall = new Date(0);
  wall.setUTCFullYear(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1);
  wall.setUTCHours(p.hour ?? 0, p.minute ?? 0, p.second ?? 0, d.getUTCMilliseconds());
  return wall;
}

function field(w: Date, a: Accessor): bigint {
  switch (a) {
    case 'getFullYear': return BigInt(w.getUTCFullYear());
    case 'getMonth': return BigInt(w.getUTCMonth());
    case 'getDate': return BigInt(w.getUTCDate());
    case 'getDayOfMonth': return BigInt(w.getUTCDate() - 1);
    case 'getDayOfYear': {
      const jan1 = new Date(0);
      jan1.setUTCFullYear(w.getUTCFullYear(), 0, 1);
      return BigInt(Math.floor((w.getTime() - jan1.getTime()) / 86_400_000));
    }
    case 'getDayOfWeek': return BigInt(w.getUTCDay());
    case 'getHours': return BigInt(w.getUTCHours());
    case 'getMinutes': return BigInt(w.getUTCMinutes());
    case 'getSeconds': return BigInt(w.getUTCSeconds());
    default: return BigInt(w.getUTCMilliseconds());
  }
}

/** Registers the time-zone accessors on `env`. */
export function registerTime(env: Environment): void {
  for (const a of ACCESSORS) {
    env.registerFunction(`google.protobuf.Timestamp.${TZ_RENAMED[a]}(string): int`, (d: Date, tz: string) => field(wallClock(d, tz), a));
  }
}
