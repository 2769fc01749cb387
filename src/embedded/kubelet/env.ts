/** Container environment: envFrom, env (value, valueFrom) and Kubernetes `$(VAR)` expansion. */
import type { Container, EnvVar, Pod } from '../../api/types.js';
import { fieldValue } from './downward.js';
import { ConfigError, type SourceCache } from './sources.js';

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Kubernetes' expansion of `$(VAR)` references (as in command, args and env values): a defined variable is
 * replaced, an undefined one is left as written, `$$` is an escaped `$`.
 */
export function expandVars(s: string, vars: ReadonlyMap<string, string>): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const next = s[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const end = s.indexOf(')', i + 2);
      if (end < 0) {
        out += s.slice(i);
        break;
      }
      const name = s.slice(i + 2, end);
      const v = vars.get(name);
      out += v ?? `$(${name})`;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

async function valueFromRef(ev: EnvVar, pod: Pod, sources: SourceCache, nodeName: string): Promise<string | undefined> {
  const from = ev.valueFrom ?? {};
  if (from.fieldRef) {
    const v = fieldValue(pod, from.fieldRef.fieldPath, nodeName);
    if (v === undefined) throw new ConfigError(`env ${ev.name}: unsupported fieldRef ${from.fieldRef.fieldPath}`);
    return v;
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) {
    if (from.resourceFieldRef) return '0';
    return '';
  }
  const kind = from.configMapKeyRef ? 'configmap' : 'secret';
  const data = kind === 'configmap' ? await sources.configMap(ref.name) : await sources.secret(ref.name);
  if (!data) {
    if (ref.optional) return undefined;
    throw new ConfigError(`${kind} "${ref.name}" not found`);
  }
  const v = data.get(ref.key);
  if (v === undefined) {
    if (ref.optional) return undefined;
    throw new ConfigError(`couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${pod.metadata.namespace ?? ''}/${ref.name}`);
  }
  return v.toString('utf8');
}

async function addEnvFrom(c: Container, sources: SourceCache, vars: Map<string, string>): Promise<void> {
  for (const ef of c.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    if (!ref) continue;
    const data = await sources.need(ef.configMapRef ? 'configmap' : 'secret', ref.name, ref.optional);
    for (const [k, v] of data) {
      const name = (ef.prefix ?? '') + k;
      if (ENV_NAME.test(name)) vars.set(name, v.toString('utf8'));
    }
  }
}

/**
 * The container's environment in Kubernetes order (envFrom, then env with `$(VAR)` expansion against what is
 * defined so far). Throws ConfigError for a missing non-optional reference (CreateContainerConfigError).
 */
export async function resolveEnv(pod: Pod, c: Container, sources: SourceCache, nodeName: string): Promise<Map<string, string>> {
  const vars = new Map<string, string>();
  await addEnvFrom(c, sources, vars);
  for (const ev of c.env ?? []) {
    if (ev.valueFrom) {
      const v = await valueFromRef(ev, pod, sources, nodeName);
      if (v !== undefined) vars.set(ev.name, v);
    } else {
      vars.set(ev.name, expandVars(ev.value ?? '', vars));
    }
  }
  return vars;
}
