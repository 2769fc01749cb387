/**
 * zod compiles a parser for each object schema on its first parse (generated source run through `new Function`):
 * faster from then on, but compiling it costs more than a few plain parses, a one-shot `tkt run` parses each kind
 * only a few times, and V8's code cache (bin/tkt.js) cannot keep generated code. So the first parses of a schema
 * run zod's plain parser and, from the JIT_AFTER-th on, the compiled one (a long-running `tkt up`). Same results
 * either way: only the speed differs.
 */
import type { z } from 'zod';

/** Parses of one schema before zod may compile its fast parser. */
export const JIT_AFTER = 8;

const uses = new WeakMap<z.ZodType, number>();

/** `schema.safeParse(value, opts)`, without zod's compiled parser for the first JIT_AFTER - 1 parses of `schema`. */
export function safeParse<S extends z.ZodType>(schema: S, value: unknown, opts: { reportInput?: boolean } = {}): z.ZodSafeParseResult<z.output<S>> {
  const n = (uses.get(schema) ?? 0) + 1;
  uses.set(schema, n);
  return schema.safeParse(value, { ...opts, jitless: n < JIT_AFTER }) as z.ZodSafeParseResult<z.output<S>>;
}
