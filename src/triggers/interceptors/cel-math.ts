/**
 * cel-go's math extension (ext.Math, latest version, as Tekton Triggers enables it): `math.greatest`/`math.least`
 * over any number of int/uint/double arguments or one list, `abs`, `sign`, `ceil`, `floor`, `round`, `trunc`,
 * `isNaN`, `isInf`, `isFinite`, `sqrt`, and the bit operations on int and uint. The static checks cel-go's
 * greatest/least macros make on literal arguments are in {@link checkMathMacro}.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { celTypeName, compareNumeric, isNumeric, isUint, uint, type Uint } from './cel-values.js';

class MathNamespace {}

const INT64_MIN = -(2n ** 63n);
const UINT64_MASK = 2n ** 64n - 1n;

function extreme(values: readonly unknown[], greatest: boolean, what: string): unknown {
  if (values.length === 0) throw new Error(`math.@${greatest ? 'max' : 'min'}(list) argument must not be empty`);
  let best = values[0];
  for (const v of values) {
    if (!isNumeric(v)) throw new Error(`no such overload: ${what} (argument of type ${celTypeName(v)})`);
    const c = compareNumeric(v, best);
    if (greatest ? c > 0 : c < 0) best = v;
  }
  return best;
}

function bitShift(x: bigint, n: bigint, left: boolean): bigint {
  if (n < 0n) throw new Error(`math.bitShift${left ? 'Left' : 'Right'}() negative offset: ${n}`);
  if (n >= 64n) return 0n;
  const u = BigInt.asUintN(64, x);
  return BigInt.asIntN(64, left ? u << n : u >> n);
}

function uintShift(x: Uint, n: bigint, left: boolean): Uint {
  if (n < 0n) throw new Error(`math.bitShift${left ? 'Left' : 'Right'}() negative offset: ${n}`);
  if (n >= 64n) return uint(0n);
  return uint(left ? (x.valueOf() << n) & UINT64_MASK : x.valueOf() >> n);
}

const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

type Fn = (...a: never[]) => unknown;

function registerExtremes(env: Environment): void {
  for (const [name, g] of [['greatest', true], ['least', false]] as const) {
    const what = `math.@${g ? 'max' : 'min'}`;
    const of = (_n: unknown, ...v: unknown[]) => extreme(v, g, what);
    // dyn only: the library refuses typed overloads next to dyn ones, and cel-go's mixed forms return dyn too
    env.registerFunction(`MathNamespace.${name}(dyn): dyn`, (_n: unknown, a: unknown) => (Array.isArray(a) ? extreme(a, g, what) : extreme([a], g, what)));
    for (let k = 2; k <= 15; k++) env.registerFunction(`MathNamespace.${name}(${Array(k).fill('dyn').join(', ')}): dyn`, of);
  }
}

/** Registers the math extension on `env`. */
export function registerMath(env: Environment): void {
  env.registerType('MathNamespace', MathNamespace).registerConstant('math', 'MathNamespace', new MathNamespace());
  registerExtremes(env);
  const fns: Array<[string, Fn]> = [
    ['abs(int): int', (x: bigint) => { if (x === INT64_MIN) throw new Error('integer overflow'); return x < 0n ? -x : x; }],
    ['abs(uint): uint', (x: Uint) => x],
    ['abs(double): double', (x: number) => Math.abs(x)],
    ['sign(int): int', (x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n)],
    ['sign(uint): uint', (x: Uint) => uint(x.valueOf() > 0n ? 1n : 0n)],
    ['sign(double): double', (x: number) => (x === 0 ? 0 : Math.sign(x))],
    ['ceil(double): double', (x: number) => Math.ceil(x)],
    ['floor(double): double', (x: number) => Math.floor(x)],
    ['round(double): double', roundHalfAway],
    ['trunc(double): double', (x: number) => Math.trunc(x)],
    ['isNaN(double): bool', (x: number) => Number.isNaN(x)],
    ['isInf(double): bool', (x: number) => x === Infinity || x === -Infinity],
    ['isFinite(double): bool', (x: number) => Number.isFinite(x)],
    ['sqrt(double): double', (x: number) => Math.sqrt(x)],
    ['sqrt(int): double', (x: bigint) => Math.sqrt(Number(x))],
    ['sqrt(uint): double', (x: Uint) => Math.sqrt(Number(x.valueOf()))],
    ['bitAnd(int, int): int', (a: bigint, b: bigint) => a & b],
    ['bitAnd(uint, uint): uint', (a: Uint, b: Uint) => uint(a.valueOf() & b.valueOf())],
    ['bitOr(int, int): int', (a: bigint, b: bigint) => a | b],
    ['bitOr(uint, uint): uint', (a: Uint, b: Uint) => uint(a.valueOf() | b.valueOf())],
    ['bitXor(int, int): int', (a: bigint, b: bigint) => a ^ b],
    ['bitXor(uint, uint): uint', (a: Uint, b: Uint) => uint(a.valueOf() ^ b.valueOf())],
    ['bitNot(int): int', (a: bigint) => ~a],
    ['bitNot(uint): uint', (a: Uint) => uint(~a.valueOf())],
    ['bitShiftLeft(int, int): int', (a: bigint, n: bigint) => bitShift(a, n, true)],
    ['bitShiftLeft(uint, int): uint', (a: Uint, n: bigint) => uintShift(a, n, true)],
    ['bitShiftRight(int, int): int', (a: bigint, n: bigint) => bitShift(a, n, false)],
    ['bitShiftRight(uint, int): uint', (a: Uint, n: bigint) => uintShift(a, n, false)],
  ];
  for (const [sig, fn] of fns) env.registerFunction(`MathNamespace.${sig}`, (_n: unknown, ...a: unknown[]) => (fn as (...x: unknown[]) => unknown)(...a));
}

interface Node { op: string; args: unknown }

/** A literal or aggregate that cannot be a number (cel-go's isNumericArgType is false). */
function notNumeric(n: Node): boolean {
  if (n.op === 'value') return !(typeof n.args === 'bigint' || typeof n.args === 'number' || isUint(n.args));
  return n.op === 'list' || n.op === 'map' || n.op === 'object';
}

/** cel-go's parse-time checks of `math.greatest(...)`/`math.least(...)`; throws its message. */
export function checkMathMacro(name: string, args: readonly Node[]): void {
  const fn = `math.${name}()`;
  if (args.length === 0) throw new Error(`${fn} requires at least one argument`);
  const [first] = args;
  if (args.length === 1 && first) {
    const numericList = first.op === 'list' && Array.isArray(first.args) && first.args.length > 0 && (first.args as Node[]).every((e) => !notNumeric(e));
    if (!numericList && notNumeric(first)) throw new Error(`${fn} invalid single argument value`);
    return;
  }
  if (args.some(notNumeric)) throw new Error(`${fn} simple literal arguments must be numeric`);
}
