/**
 * Go's fmt for the values a JSON document decodes into (string, float64, bool, nil, []interface{},
 * map[string]interface{}): `%v` printing (`goPrint`) and `printf` verbs (`goFormat`: v s d q t f F e E g G x X
 * c b o %, flags `-+ 0#`, width and precision, `*`), with Go's `%!verb(type=value)` for a wrong type.
 */

const MISSING_TEXT = '<no value>';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** fmt's `%v` of a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6 (`1e+06`). */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(f)));
  if (exp < -4 || exp >= 6) {
    const [m = '', e = '0'] = f.toExponential().split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(f);
}

/** `%v` of a value. */
export function goPrint(v: unknown): string {
  if (typeof v === 'symbol') return MISSING_TEXT;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goPrint(v[k])}`).join(' ')}]`;
  return String(v);
}

function typeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return '<nil>';
}

const bad = (verb: string, v: unknown): string => (v === null || v === undefined || typeof v === 'symbol' ? `%!${verb}(<nil>)` : `%!${verb}(${typeOf(v)}=${goPrint(v)})`);

interface Spec { minus: boolean; plus: boolean; space: boolean; zero: boolean; sharp: boolean; width?: number; prec?: number }

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || s.length >= spec.width) return s;
  if (spec.minus) return s.padEnd(spec.width);
  if (spec.zero && numeric) {
    const sign = /^[-+ ]/.test(s) ? s[0] ?? '' : '';
    return sign + s.slice(sign.length).padStart(spec.width - sign.length, '0');
  }
  return s.padStart(spec.width);
}

function signed(s: string, n: number, spec: Spec): string {
  if (n < 0 || Object.is(n, -0)) return s;
  return spec.plus ? `+${s}` : spec.space ? ` ${s}` : s;
}

function quote(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function integer(v: unknown, verb: string, spec: Spec): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
  const base = verb === 'x' || verb === 'X' ? 16 : verb === 'o' ? 8 : verb === 'b' ? 2 : 10;
  let s = Math.abs(v).toString(base);
  if (verb === 'X') s = s.toUpperCase();
  if (spec.prec !== undefined) s = s.padStart(spec.prec, '0');
  if (spec.sharp && base === 16) s = `0${verb}${s}`;
  if (spec.sharp && base === 8) s = `0${s}`;
  return signed(v < 0 ? `-${s}` : s, v, spec);
}

function floatVerb(v: number, verb: string, spec: Spec): string {
  let s: string;
  const prec = spec.prec;
  if (verb === 'f' || verb === 'F') s = Math.abs(v).toFixed(prec ?? 6);
  else if (verb === 'e' || verb === 'E') {
    const [m = '', e = '0'] = Math.abs(v).toExponential(prec ?? 6).split('e');
    const n = Number(e);
    s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  } else s = prec === undefined ? goFloat(Math.abs(v)) : goFloat(Number(Math.abs(v).toPrecision(Math.max(prec, 1))));
  if (verb === 'E' || verb === 'G') s = s.toUpperCase();
  return signed(v < 0 ? `-${s}` : s, v, spec);
}

function one(verb: string, v: unknown, spec: Spec): string {
  if (typeof v === 'symbol') v = undefined;
  switch (verb) {
    case 'v': return pad(typeof v === 'number' ? signed(goFloat(v), v, spec) : goPrint(v), spec, false);
    case 's':
      if (typeof v === 'string') return pad(spec.prec !== undefined ? v.slice(0, spec.prec) : v, spec, false);
      if (Array.isArray(v)) return pad(`[${v.map((x) => one('s', x, { ...spec, width: undefined })).join(' ')}]`, spec, false);
      if (isMap(v)) return pad(`map[${Object.keys(v).sort().map((k) => `${k}:${one('s', v[k], { ...spec, width: undefined })}`).join(' ')}]`, spec, false);
      return bad(verb, v);
    case 'q': return typeof v === 'string' ? pad(quote(v), spec, false) : typeof v === 'number' && Number.isInteger(v) ? pad(`'${String.fromCodePoint(v)}'`, spec, false) : bad(verb, v);
    case 't': return typeof v === 'boolean' ? pad(String(v), spec, false) : bad(verb, v);
    case 'c': return typeof v === 'number' && Number.isInteger(v) ? pad(String.fromCodePoint(v), spec, false) : bad(verb, v);
    case 'd': case 'o': case 'b': {
      const s = integer(v, verb, spec);
      return s === undefined ? bad(verb, v) : pad(s, spec, true);
    }
    case 'x': case 'X': {
      if (typeof v === 'string') return pad(Buffer.from(v).toString('hex')[verb === 'X' ? 'toUpperCase' : 'toLowerCase'](), spec, false);
      const s = integer(v, verb, spec);
      return s === undefined ? bad(verb, v) : pad(s, spec, true);
    }
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
      return typeof v === 'number' ? pad(floatVerb(v, verb, spec), spec, true) : bad(verb, v);
    default: return `%!${verb}(${typeOf(v)}=${goPrint(v)})`;
  }
}

/** Go's fmt.Sprintf for JSON values. */
export function goFormat(format: string, args: unknown[]): string {
  let out = '';
  let next = 0;
  let i = 0;
  const star = (): number | undefined => {
    const a = args[next++];
    return typeof a === 'number' && Number.isInteger(a) ? a : undefined;
  };
  while (i < format.length) {
    const c = format[i++];
    if (c !== '%') { out += c; continue; }
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false };
    for (;;) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = true;
      else if (f === '#') spec.sharp = true;
      else break;
      i++;
    }
    if (format[i] === '*') { i++; spec.width = star(); } else {
      const w = /^\d+/.exec(format.slice(i));
      if (w) { spec.width = Number(w[0]); i += w[0].length; }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') { i++; spec.prec = star(); } else {
        const p = /^\d*/.exec(format.slice(i))?.[0] ?? '';
        spec.prec = Number(p || '0');
        i += p.length;
      }
    }
    const verb = format[i++];
    if (verb === undefined) { out += '%!(NOVERB)'; break; }
    if (verb === '%') { out += '%'; continue; }
    if (next >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    out += one(verb, args[next++], spec);
  }
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map((a) => `${typeOf(a)}=${goPrint(a)}`).join(', ')})`;
  return out;
}
