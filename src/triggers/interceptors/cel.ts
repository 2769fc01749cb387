/**
 * The `cel` interceptor: `filter` must evaluate to exactly `true`; each of `overlays` (`{key, expression}`) is
 * evaluated against the same original context and written into `extensions` at its (dotted) key. Evaluation is
 * cost-limited; a Secret that compareSecret cannot read is an internal failure, not a rejection.
 */
import { CelCostError, compileCel, fromCel, withCelScope, type CelProgram } from './cel-env.js';
import { Code, fail, pass, SecretError, secretValue, type BuiltinInterceptor, type InterceptorEnv, type InterceptorRequest, type InterceptorResponse } from './protocol.js';

/** Default step budget of one CEL evaluation. */
export const DEFAULT_CEL_MAX_STEPS = 100_000;

/** The cel interceptor, with a configurable step budget. */
export function celInterceptor(maxSteps = DEFAULT_CEL_MAX_STEPS): BuiltinInterceptor {
  return async (req, env) => {
    const p = req.interceptor_params;
    const ctx = celContext(req, env);
    if (p.filter !== undefined && p.filter !== '') {
      if (typeof p.filter !== 'string') return fail(Code.InvalidArgument, 'filter must be a string');
      const r = await run(p.filter, ctx, env, maxSteps);
      if ('error' in r) return r.error;
      if (r.value !== true) return fail(Code.FailedPrecondition, `expression ${p.filter} did not return true`);
    }
    const overlays = Array.isArray(p.overlays) ? (p.overlays as Array<{ key?: unknown; expression?: unknown }>) : [];
    if (overlays.length === 0) return pass();
    const extensions: Record<string, unknown> = {};
    for (const o of overlays) {
      if (typeof o.key !== 'string' || typeof o.expression !== 'string') return fail(Code.InvalidArgument, 'each overlay needs a key and an expression');
      const r = await run(o.expression, ctx, env, maxSteps);
      if ('error' in r) return r.error;
      setPath(extensions, o.key, fromCel(r.value));
    }
    return pass(extensions);
  };
}

function celContext(req: InterceptorRequest, env: InterceptorEnv): Record<string, unknown> {
  return {
    body: env.parsedBody ?? {},
    header: req.header,
    extensions: req.extensions,
    requestURL: req.context.event_url,
  };
}

async function run(expr: string, ctx: Record<string, unknown>, env: InterceptorEnv, maxSteps: number): Promise<{ value: unknown } | { error: InterceptorResponse }> {
  let program: CelProgram;
  try {
    program = compileCel(expr);
  } catch (err) {
    return { error: fail(Code.InvalidArgument, `failed to parse expression ${JSON.stringify(expr)}: ${firstLine(err)}`) };
  }
  const scope = {
    steps: 0, maxSteps,
    secret: (name: string, key: string, ns?: string) => secretValue(env.lookup, ns ?? env.namespace, name, key),
  };
  try {
    return { value: await withCelScope(scope, () => program(ctx), program.mayAwait) };
  } catch (err) {
    if (err instanceof SecretError) throw err;
    if (err instanceof CelCostError) return { error: fail(Code.InvalidArgument, `expression ${JSON.stringify(expr)}: ${err.message}`) };
    return { error: fail(Code.InvalidArgument, `error evaluating expression ${JSON.stringify(expr)}: ${firstLine(err)}`) };
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** Writes `value` at a dotted path (`a.b` → `{a: {b: value}}`), as sjson does for overlay keys. */
export function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let cur = target;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
}
