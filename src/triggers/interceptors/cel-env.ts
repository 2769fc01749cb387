/**
 * The CEL environment of the `cel` interceptor: variables `body`, `header`, `extensions`, `requestURL` and the
 * functions Tekton Triggers documents (split, parseJSON, parseYAML, parseURL, compareSecret, header.match,
 * header.canonical, truncate, marshalJSON, translate, first/last, decodeb64) with cel-go's encoders, strings, lists, sets and
 * math extensions (cel-ext.ts and the modules it registers).
 * Expressions are limited in size at parse time and in evaluation steps at run time (cost limit).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Environment } from '@marcbachmann/cel-js';
import { parse as parseYaml } from 'yaml';
import { cachedCanonicalKey } from '../event.js';
import { registerExtensions } from './cel-ext.js';
import { OPTIONALS, registerMoreExtensions, rewriteAst, unrenameMessage } from './cel-ext2.js';
import { celFormat } from './cel-format.js';
import { DurationClass, isUint, TypeClass } from './cel-values.js';
import { constantTimeEqual } from './protocol.js';

/** Per-evaluation state reachable from CEL functions (secrets, cost meter). */
export interface CelScope {
  /** Reads a Secret key (namespace defaults to the trigger's). */
  secret(name: string, key: string, namespace?: string): Promise<Buffer>;
  steps: number;
  maxSteps: number;
}

/** Thrown when an evaluation exceeds its step budget. */
export class CelCostError extends Error {
  constructor(limit: number) {
    super(`CEL evaluation exceeded its cost limit (${limit} steps)`);
    this.name = 'CelCostError';
  }
}

/** The scope of the evaluation running synchronously right now. */
let current: CelScope | undefined;
/**
 * The scope across awaits, for expressions that may call something asynchronous (compareSecret reads a Secret).
 * Created on first need: in Node 20 an AsyncLocalStorage in use turns on promise hooks for every promise of the
 * process (API server included), which cost more CPU per webhook than the CEL evaluation itself.
 */
let asyncScope: AsyncLocalStorage<CelScope> | undefined;

function scopeNow(): CelScope | undefined {
  return current ?? asyncScope?.getStore();
}

class Base64Namespace {}

/**
 * Runs `fn` (which evaluates CEL) with a scope for secrets and cost accounting. `mayAwait` false (see
 * {@link CelProgram}) promises that nothing in it awaits, so the scope need not follow promises.
 */
export function withCelScope<T>(s: CelScope, fn: () => T, mayAwait = true): T {
  const before = current;
  current = s;
  try {
    return mayAwait ? (asyncScope ??= new AsyncLocalStorage<CelScope>()).run(s, fn) : fn();
  } finally {
    current = before;
  }
}

/** Maximum expression length accepted (characters). */
export const MAX_EXPRESSION_LENGTH = 16 * 1024;

function createEnvironment(): Environment {
  const env = new Environment({
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: false,
    limits: { maxAstNodes: 4000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 16 },
  });
  env.registerVariable('body', 'dyn').registerVariable('header', 'map')
    .registerVariable('extensions', 'map').registerVariable('requestURL', 'string');
  env.registerType('Base64Namespace', Base64Namespace).registerConstant('base64', 'Base64Namespace', new Base64Namespace());
  registerFunctions(env);
  registerExtensions(env);
  registerMoreExtensions(env);
  return env;
}

function registerFunctions(env: Environment): void {
  env.registerFunction('Base64Namespace.decode(string): bytes', (_n: unknown, s: string) => base64Decode(s));
  env.registerFunction('Base64Namespace.encode(bytes): string', (_n: unknown, b: Uint8Array) => Buffer.from(b).toString('base64'));
  env.registerFunction('int(uint): int', (u: { valueOf(): bigint }) => BigInt.asIntN(64, u.valueOf()) === u.valueOf() ? u.valueOf() : overflow('int'));
  env.registerFunction('string(google.protobuf.Timestamp): string', (t: Date) => celFormat('%s', [t]));
  env.registerFunction('string(google.protobuf.Duration): string', (d: unknown) => celFormat('%s', [d]));
  env.registerFunction('map.match(string, string): bool', (h: Record<string, unknown>, name: string, value: string) => firstHeader(h, name) === value);
  env.registerFunction('map.canonical(string): string', (h: Record<string, unknown>, name: string) => firstHeader(h, name) ?? '');
  env.registerFunction('string.truncate(int): string', (s: string, n: bigint) => truncateBytes(s, n));
  env.registerFunction('string.parseJSON(): map', (s: string) => decodeObject(s, 'parseJSON', JSON.parse));
  env.registerFunction('string.parseYAML(): map', (s: string) => decodeObject(s, 'parseYAML', parseYaml));
  env.registerFunction('string.parseURL(): map', (s: string) => parseUrl(s));
  env.registerFunction('map.marshalJSON(): string', (v: unknown) => JSON.stringify(fromCel(v)));
  env.registerFunction('list.marshalJSON(): string', (v: unknown) => JSON.stringify(fromCel(v)));
  env.registerFunction('string.translate(string, string): string', (s: string, re: string, repl: string) =>
    s.replace(new RegExp(re, 'g'), repl.replace(/\$\{(\w+)\}/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`))));
  env.registerFunction('list.first(): dyn', (l: unknown[]) => listEnd(l, 0));
  env.registerFunction('list.last(): dyn', (l: unknown[]) => listEnd(l, l.length - 1));
  env.registerFunction('string.compareSecret(string, string): bool', (s: string, key: string, name: string) => compareSecret(s, key, name));
  env.registerFunction('string.compareSecret(string, string, string): bool', (s: string, key: string, name: string, ns: string) => compareSecret(s, key, name, ns));
}

function overflow(type: string): never {
  throw new Error(`${type} overflow`);
}

/** cel-go's base64.decode: standard alphabet, padded or not (line breaks ignored); anything else is an error. */
function base64Decode(text: string): Uint8Array {
  const s = text.replace(/[\r\n]/g, '');
  const padded = s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
  const raw = s.length % 4 !== 1 && /^[A-Za-z0-9+/]*$/.test(s);
  if (!padded && !raw) {
    const bad = s.search(/[^A-Za-z0-9+/=]|=[^=]/);
    throw new Error(`illegal base64 data at input byte ${bad < 0 ? s.length - 1 : bad}`);
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}

function firstHeader(h: Record<string, unknown>, name: string): string | undefined {
  const v = h[cachedCanonicalKey(name)];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function truncateBytes(s: string, n: bigint): string {
  if (n < 0n) throw new Error(`truncate: negative length ${n}`);
  const b = Buffer.from(s, 'utf8');
  const len = Number(n > BigInt(b.length) ? BigInt(b.length) : n);
  return b.subarray(0, len).toString('utf8');
}

/** Triggers' first()/last(): null on an empty list. */
function listEnd(l: unknown[], i: number): unknown {
  return l.length === 0 ? null : l[i];
}

async function compareSecret(s: string, key: string, name: string, ns?: string): Promise<boolean> {
  const sc = scopeNow();
  if (!sc) throw new Error('compareSecret: no secret access in this context');
  const secret = await sc.secret(name, key, ns);
  return constantTimeEqual(Buffer.from(s, 'utf8'), secret);
}

function parseUrl(s: string): Record<string, unknown> {
  const u = new URL(s);
  const queryStrings: Record<string, string[]> = {};
  for (const [k, v] of u.searchParams) (queryStrings[k] ??= []).push(v);
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(queryStrings)) query[k] = v.join(',');
  return {
    scheme: u.protocol.replace(/:$/, ''), host: u.host, path: decodeURIComponent(u.pathname), rawQuery: u.search.replace(/^\?/, ''),
    fragment: decodeURIComponent(u.hash.replace(/^#/, '')), query, queryStrings,
    auth: { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) },
  };
}

/** Triggers' parseJSON/parseYAML: the text must hold an object (null and empty text give an empty map). */
function decodeObject(s: string, fn: string, decode: (s: string) => unknown): unknown {
  let v: unknown;
  try {
    v = decode(s);
  } catch (err) {
    throw new Error(`failed to decode '${s}' in ${fn}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`failed to decode '${s}' in ${fn}: ${Array.isArray(v) ? 'an array' : `a ${typeof v}`} is not an object`);
  return v;
}

/** CEL values into JSON values: int/uint → number, bytes → base64, Map → object, Date → RFC 3339, duration → `Ns`. */
export function fromCel(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (isUint(v)) return Number(v.valueOf());
  if (v instanceof DurationClass || v instanceof TypeClass) return celFormat('%s', [v]);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), fromCel(x)]));
  if (Array.isArray(v)) return v.map(fromCel);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromCel(x);
    return out;
  }
  return v;
}

/** Counts every node evaluation against the scope's budget, by hooking the environment's evaluator once. */
function instrument(env: Environment): void {
  const probe = env.parse('true') as unknown as { ast: { evaluate: (...a: unknown[]) => unknown } } & ((ctx?: unknown) => unknown);
  const proto = Object.getPrototypeOf(probe.ast) as { evaluate: (...a: unknown[]) => unknown };
  let evaluator: { run?: unknown } | undefined;
  probe.ast.evaluate = function (this: unknown, ev: unknown, ast: unknown, ctx: unknown) {
    evaluator = ev as { run?: unknown };
    return proto.evaluate.call(this, ev, ast, ctx);
  };
  probe({});
  if (!evaluator) throw new Error('CEL evaluator hook failed');
  evaluator.run = function run(this: unknown, ast: { evaluate: (ev: unknown, a: unknown, c: unknown) => unknown }, ctx: unknown) {
    const sc = scopeNow();
    if (sc && ++sc.steps > sc.maxSteps) throw new CelCostError(sc.maxSteps);
    return ast.evaluate(this, ast, ctx);
  };
}

function renamed(err: unknown): unknown {
  if (err instanceof Error) err.message = unrenameMessage(err.message);
  return err;
}

let shared: Environment | undefined;

/** The shared, instrumented CEL environment. */
export function celEnvironment(): Environment {
  if (!shared) {
    shared = createEnvironment();
    instrument(shared);
  }
  return shared;
}

/**
 * A compiled expression. `mayAwait`: it names an asynchronous function (compareSecret), so its evaluation may go on
 * after an await and needs {@link withCelScope} with `mayAwait` true.
 */
export type CelProgram = ((ctx: Record<string, unknown>) => unknown) & { mayAwait: boolean };

const ASYNC_FUNCTIONS = /compareSecret/;

const programs = new Map<string, CelProgram>();

/** Parses and type-checks an expression once (cached). Throws on syntax, type or size errors. */
export function compileCel(expr: string): CelProgram {
  let p = programs.get(expr);
  if (p) return p;
  if (expr.length > MAX_EXPRESSION_LENGTH) throw new Error(`expression longer than ${MAX_EXPRESSION_LENGTH} characters`);
  let parsed: CelProgram & { ast: unknown; check(): { valid: boolean; error?: Error } };
  try {
    parsed = celEnvironment().parse(expr) as unknown as typeof parsed;
  } catch (err) {
    // the library's parser knows `.?`/`[?` only with optional types, which Triggers does not enable either
    if (/\.\?[A-Za-z_]|\[\?/.test(expr) && err instanceof Error) err.message = `${OPTIONALS} (${err.message.split('\n')[0] ?? ''})`;
    throw err;
  }
  rewriteAst(parsed.ast);
  const checked = parsed.check();
  if (!checked.valid) throw renamed(checked.error ?? new Error('expression does not type-check'));
  p = Object.assign((ctx: Record<string, unknown>) => {
    try {
      const v = parsed(ctx);
      return v instanceof Promise ? v.catch((err: unknown) => { throw renamed(err); }) : v;
    } catch (err) {
      throw renamed(err);
    }
  }, { mayAwait: ASYNC_FUNCTIONS.test(expr) });
  if (programs.size >= 1000) programs.clear();
  programs.set(expr, p);
  return p;
}
