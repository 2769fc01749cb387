/**
 * cel-go's `string.format(list)` as its strings extension does at the latest version (the cel-spec formatting,
 * "formatting v2"): `%s %d %f %e %b %o %x %X %%` with an optional `.N` precision (at most 100) for `%f`/`%e`.
 * Errors carry cel-go's messages.
 */
import { celTypeName, DurationClass, isDouble, isInt, isUint, TypeClass, typeValueName } from './cel-values.js';

const MAX_PRECISION = 100;

/** Go's strconv.FormatFloat(x, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function goFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const s = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int = '', frac = '', e] = m;
  const digits = int + frac;
  const point = int.length + Number(e);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function durationSeconds(d: InstanceType<typeof DurationClass>): string {
  if (d.nanos === 0) return `${d.seconds}s`;
  const neg = d.seconds < 0n || d.nanos < 0;
  const total = (d.seconds < 0n ? -d.seconds : d.seconds) * 1_000_000_000n + BigInt(Math.abs(d.nanos));
  const frac = String(total % 1_000_000_000n).padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${total / 1_000_000_000n}${frac ? `.${frac}` : ''}s`;
}

/** The `%s` form of a value. */
function str(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || isInt(v) || isUint(v)) return String(v);
  if (isDouble(v)) return goFloat(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof Date) return v.toISOString().replace(/\.?0+Z$/, 'Z').replace(/\.Z$/, 'Z');
  if (v instanceof DurationClass) return durationSeconds(v);
  if (v instanceof TypeClass) return typeValueName(v);
  if (Array.isArray(v)) return `[${v.map(str).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = v instanceof Map ? [...v] : Object.entries(v);
    const parts = entries.map(([k, x]) => [str(k), str(x)] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${parts.map(([k, x]) => `${k}: ${x}`).join(', ')}}`;
  }
  throw new Error(`string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given ${celTypeName(v)}`);
}

const asFloat = (v: unknown, clause: string): number => {
  if (isInt(v) || isUint(v) || isDouble(v)) return Number(v.valueOf());
  throw new Error(`${clause} clause can only be used on ints, uints, and doubles, was given ${celTypeName(v)}`);
};

/**
 * Go rounds an exact tie (the binary value ends in 5 at the cut) to even; JS toFixed/toExponential round it away
 * from zero. `render(x, p)` is toFixed or toExponential; a tie is seen with 25 more digits.
 */
function goRound(x: number, p: number, render: (x: number, p: number) => string): string {
  const plain = render(x, p);
  if (p + 25 > 100) return plain;
  const exact = render(Math.abs(x), p + 25);
  const [mant = '', exp = ''] = exact.split('e');
  const rest = mant.slice(mant.length - 25);
  if (!/^50*$/.test(rest)) return plain;
  const kept = mant.slice(0, mant.length - 25).replace(/\.$/, '');
  if (Number(kept[kept.length - 1]) % 2 === 1) return plain;
  return (x < 0 ? '-' : '') + kept + (exp ? `e${exp}` : '');
}

/** Go's %.Nf. */
function fixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return goFloat(x);
  return goRound(x, p, (v, q) => v.toFixed(q));
}

/** Go's %1.Ne: at least two exponent digits. */
function scientific(x: number, p: number): string {
  if (!Number.isFinite(x)) return goFloat(x);
  return goRound(x, p, (v, q) => v.toExponential(q)).replace(/e([+-])(\d)$/, 'e$10$2');
}

function integerText(v: unknown, base: number, what: string): string {
  if (isInt(v) || isUint(v)) return v.valueOf().toString(base);
  if (typeof v === 'boolean' && base === 2) return v ? '1' : '0';
  throw new Error(`${what}, was given ${celTypeName(v)}`);
}

function hex(v: unknown, upper: boolean): string {
  let s: string;
  if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
  else if (v instanceof Uint8Array) s = Buffer.from(v).toString('hex');
  else s = integerText(v, 16, 'only ints, uints, bytes, and strings can be formatted as hex');
  return upper ? s.toUpperCase() : s;
}

function clause(verb: string, precision: number, v: unknown): string {
  switch (verb) {
    case 's': return str(v);
    case 'd':
      if (isDouble(v)) return goFloat(v);
      return integerText(v, 10, 'decimal clause can only be used on ints, uints, and doubles');
    case 'f': return fixed(asFloat(v, 'fixed-point'), precision);
    case 'e': return scientific(asFloat(v, 'scientific'), precision);
    case 'b': return integerText(v, 2, 'only ints, uints, and bools can be formatted as binary');
    case 'o': return integerText(v, 8, 'octal clause can only be used on ints and uints');
    case 'x': case 'X': return hex(v, verb === 'X');
    default: throw new Error(`could not parse formatting clause: unrecognized formatting clause "${verb}"`);
  }
}

/** Reads `.N` at `i` (just after `%`): [next index, precision]. */
function precisionAt(fmt: string, i: number): [number, number] {
  if (fmt[i] !== '.') return [i, 6];
  let j = i + 1;
  while (j < fmt.length && /[0-9]/.test(fmt[j] as string)) j++;
  if (j >= fmt.length) throw new Error('could not parse formatting clause: error while parsing precision: could not find end of precision specifier');
  const p = Number(fmt.slice(i + 1, j) || 'NaN');
  if (Number.isNaN(p)) throw new Error('could not parse formatting clause: error while parsing precision: error while converting precision to integer');
  if (p > MAX_PRECISION) throw new Error(`could not parse formatting clause: error while parsing precision: precision ${p} exceeds maximum allowed precision ${MAX_PRECISION}`);
  return [j, p];
}

/** Stands for an argument whose value is known only at run time (see {@link checkFormatCall}). */
export const ANY_ARG = Symbol('any format argument');

/**
 * cel-go's parse-time validation of `'literal'.format([list literal])`: the clauses must parse, literal
 * arguments must suit their clause, and every argument must be used. `args` has {@link ANY_ARG} for non-literals.
 */
export function checkFormatCall(fmt: string, args: readonly unknown[]): void {
  let used = 0;
  celFormat(fmt, args, () => { used++; });
  if (used < args.length) throw new Error(`too many arguments supplied to string.format (expected ${used}, got ${args.length})`);
}

/** Formats `args` into `fmt` as cel-go's strings extension does. */
export function celFormat(fmt: string, args: readonly unknown[], onArg?: () => void): string {
  let out = '';
  let argIndex = 0;
  for (let i = 0; i < fmt.length;) {
    const c = fmt[i] as string;
    if (c !== '%') { out += c; i++; continue; }
    if (fmt[i + 1] === '%') { out += '%'; i += 2; continue; }
    // at run time the argument is fetched first; cel-go's parse-time check reads the clause first
    if (onArg && i + 1 >= fmt.length) throw new Error('unexpected end of string');
    if (argIndex >= args.length) throw new Error(`index ${argIndex} out of range`);
    if (i + 1 >= fmt.length) throw new Error('unexpected end of string');
    const [at, precision] = precisionAt(fmt, i + 1);
    const verb = fmt[at] as string;
    onArg?.();
    try {
      if (!'sdfeboxX'.includes(verb) || args[argIndex] !== ANY_ARG) out += clause(verb, precision, args[argIndex]);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(msg.startsWith('could not parse') ? msg : `error during formatting: ${msg}`);
    }
    argIndex++;
    i = at + 1;
  }
  return out;
}
