/**
 * cel-go's `string.format(list)` (strings extension): `%s %d %f %e %b %o %x %X %%`, with an optional `.N`
 * precision for `%f`/`%e`. Errors name the offending clause.
 */

function plain(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return `[${v.map(plain).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${plain(k)}:${plain(x)}`).join(', ')}}`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}:${plain(x)}`).join(', ')}}`;
  return String(v);
}

function num(v: unknown, verb: string): number {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  throw new Error(`error during formatting: ${verb} requires a number, got ${typeof v}`);
}

function integer(v: unknown, verb: string): bigint {
  if (typeof v === 'bigint') return v;
  throw new Error(`error during formatting: ${verb} requires an integer, got ${typeof v === 'number' ? 'double' : typeof v}`);
}

/** Go's %f: correctly rounded, exact ties to even (JS toFixed rounds ties up). */
function fixed(x: number, p: number): string {
  if (!Number.isFinite(x) || p > 80) return x.toFixed(Math.min(p, 100));
  const exact = Math.abs(x).toFixed(Math.min(p + 30, 100));
  const rest = exact.slice(exact.length - (Math.min(p + 30, 100) - p));
  const up = x.toFixed(p);
  if (!/^50*$/.test(rest)) return up;
  const lastDigit = Number(exact[exact.length - rest.length - 1 - (p === 0 ? 1 : 0)]);
  if (lastDigit % 2 === 1) return up;
  const kept = exact.slice(0, exact.length - rest.length).replace(/\.$/, '');
  return (x < 0 ? '-' : '') + kept;
}

function exp(x: number, p: number): string {
  return x.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
}

function radix(v: unknown, verb: string, base: number): string {
  if (verb === 'x' || verb === 'X') {
    const s = typeof v === 'string' ? Buffer.from(v, 'utf8').toString('hex') : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : integer(v, `%${verb}`).toString(16);
    return verb === 'X' ? s.toUpperCase() : s;
  }
  return integer(v, `%${verb}`).toString(base);
}

function clause(verb: string, precision: number | undefined, v: unknown): string {
  switch (verb) {
    case 's': return plain(v);
    case 'd': return integer(v, '%d').toString();
    case 'f': return fixed(num(v, '%f'), precision ?? 6);
    case 'e': return exp(num(v, '%e'), precision ?? 6);
    case 'b': return radix(v, verb, 2);
    case 'o': return radix(v, verb, 8);
    default: return radix(v, verb, 16);
  }
}

/** Formats `args` into `fmt` as cel-go's strings extension does. */
export function celFormat(fmt: string, args: readonly unknown[]): string {
  let i = 0;
  return fmt.replace(/%(?:\.(\d+))?([a-zA-Z%])/g, (_m, p: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (!'sdfebxXo'.includes(verb)) throw new Error(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
    if (i >= args.length) throw new Error(`index ${i} out of range`);
    return clause(verb, p === undefined ? undefined : Number(p), args[i++]);
  });
}
