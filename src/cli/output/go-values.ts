/** Go's printing of JSON values for go-template output: `%v` (printValue) and a `fmt.Sprintf` subset (goFormat). */

/** Go's `%v` of a value decoded from JSON. */
export function printValue(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v).sort().map((k) => `${k}:${printValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  return String(v);
}

function pad(s: string, flags: string, width: number | undefined): string {
  if (width === undefined || s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  return s.padStart(width, flags.includes('0') && /^[-+]?\d/.test(s) ? '0' : ' ');
}

function verb(v: unknown, c: string, flags: string, prec: number | undefined): string {
  switch (c) {
    case 'v': case 's': return typeof v === 'string' ? (prec === undefined ? v : v.slice(0, prec)) : printValue(v);
    case 'q': return JSON.stringify(typeof v === 'string' ? v : printValue(v));
    case 'd': return typeof v === 'number' ? `${flags.includes('+') && v >= 0 ? '+' : ''}${Math.trunc(v)}` : `%!d(${printValue(v)})`;
    case 't': return typeof v === 'boolean' ? String(v) : `%!t(${printValue(v)})`;
    case 'f': return typeof v === 'number' ? v.toFixed(prec ?? 6) : `%!f(${printValue(v)})`;
    case 'e': return typeof v === 'number' ? v.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2') : `%!e(${printValue(v)})`;
    case 'g': return typeof v === 'number' ? String(v) : `%!g(${printValue(v)})`;
    case 'x': case 'X': {
      const s = typeof v === 'number' ? Math.trunc(v).toString(16) : Buffer.from(printValue(v)).toString('hex');
      return c === 'X' ? s.toUpperCase() : s;
    }
    case 'T': return v === null || v === undefined ? '<nil>' : typeof v === 'string' ? 'string' : typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
    default: return `%!${c}(${printValue(v)})`;
  }
}

/** `fmt.Sprintf(format, args...)` for the verbs v s q d t f e g x X T and %%, with flags, width and precision. */
export function goFormat(format: string, args: unknown[]): string {
  let i = 0;
  const out = format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, w?: string, p?: string, c = 'v') => {
    if (c === '%') return '%';
    if (i >= args.length) return `%!${c}(MISSING)`;
    return pad(verb(args[i++], c, flags, p === undefined ? undefined : Number(p)), flags, w === undefined ? undefined : Number(w));
  });
  return i < args.length ? `${out}%!(EXTRA ${args.slice(i).map(printValue).join(', ')})` : out;
}
