/**
 * Credential initialisation (Tekton's creds-init, docs/auth.md): annotated Secrets of the run's ServiceAccount
 * become secret volumes at /tekton/creds-secrets/<secret> plus step-helper flags (`-basic-git=<secret>=<url>`,
 * `-ssh-git`, `-basic-docker`, `-docker-config`, `-docker-cfg`); every step gets its own in-memory /tekton/creds,
 * where the helper writes .gitconfig, .git-credentials, .ssh/ and .docker/config.json before copying them
 * into $HOME. Pure: the controller gathers the ServiceAccount and its Secrets.
 */
import type { Container, Volume, VolumeMount } from '../api/types.js';

/** Where the helper writes the credentials ($(credentials.path)). */
export const CREDS_DIR = '/tekton/creds';
/** Where the matched Secrets are mounted, one directory per Secret. */
export const CREDS_SECRETS_DIR = '/tekton/creds-secrets';

const GIT_PREFIX = 'tekton.dev/git-';
const DOCKER_PREFIX = 'tekton.dev/docker-';
const BASIC = 'kubernetes.io/basic-auth';
const SSH = 'kubernetes.io/ssh-auth';
const DOCKER_JSON = 'kubernetes.io/dockerconfigjson';
const DOCKER_CFG = 'kubernetes.io/dockercfg';

/** What the builder needs of one Secret listed by the ServiceAccount (never its values). */
export interface CredSecret {
  name: string;
  type?: string;
  annotations?: Record<string, string>;
  /** Whether the Secret has a `known_hosts` key. */
  hasKnownHosts: boolean;
}

/** The ServiceAccount's Secrets in its `secrets` order (missing ones left out) and the feature flags. */
export interface CredsInput {
  secrets: readonly CredSecret[];
  /** Tekton's disable-creds-init. */
  disabled: boolean;
  /** Tekton's require-git-ssh-secret-known-hosts. */
  requireKnownHosts: boolean;
}

/** Helper flags, secret volumes and their mounts (every step mounts them; sidecars do not, as in Tekton). */
export interface CredsPlan {
  args: string[];
  volumes: Volume[];
  mounts: VolumeMount[];
}

type Failure = { ok: false; reason: string; message: string };

/** Annotation values with the prefix, sorted (Tekton's SortAnnotations). */
function annotated(secret: CredSecret, prefix: string): string[] {
  return Object.entries(secret.annotations ?? {}).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v).sort();
}

/** The helper flags one Secret contributes (docker first, then git, as Tekton's builders run). */
export function secretFlags(secret: CredSecret): string[] {
  const flags: string[] = [];
  if (secret.type === BASIC) flags.push(...annotated(secret, DOCKER_PREFIX).map((u) => `-basic-docker=${secret.name}=${u}`));
  if (secret.type === DOCKER_JSON) flags.push(`-docker-config=${secret.name}`);
  if (secret.type === DOCKER_CFG) flags.push(`-docker-cfg=${secret.name}`);
  if (secret.type === BASIC) flags.push(...annotated(secret, GIT_PREFIX).map((u) => `-basic-git=${secret.name}=${u}`));
  if (secret.type === SSH) flags.push(...annotated(secret, GIT_PREFIX).map((u) => `-ssh-git=${secret.name}=${u}`));
  return flags;
}

/** FNV-1a (32 bit) of a string, as Go's hash/fnv New32a over its UTF-8 bytes. */
function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Tekton's names.GenerateHashedName(prefix, name, 8). */
export function hashedName(prefix: string, name: string): string {
  const hex = fnv32a(name).toString(16);
  return `${prefix}-${hex.length >= 8 ? hex.slice(0, 8) : hex.padEnd(8, '0')}`;
}

/** The plan for a run (Tekton's credsInit); a Failure when an ssh-auth Secret lacks known_hosts but must have it. */
export function credsPlan(input: CredsInput): { ok: true; plan: CredsPlan } | Failure {
  const plan: CredsPlan = { args: [], volumes: [], mounts: [] };
  if (input.disabled) return { ok: true, plan };
  const seen = new Set<string>();
  const used = new Set<string>();
  for (const secret of input.secrets) {
    if (!secret.name || seen.has(secret.name)) continue;
    seen.add(secret.name);
    if (secret.type === SSH && input.requireKnownHosts && !secret.hasKnownHosts) {
      return {
        ok: false, reason: 'TaskRunValidationFailed',
        message: 'TaskRun validation failed. Git SSH Secret must have "known_hosts" included when feature flag "require-git-ssh-secret-known-hosts" is set to true',
      };
    }
    const flags = secretFlags(secret);
    if (flags.length === 0) continue;
    plan.args.push(...flags);
    let name = hashedName('tekton-creds', secret.name);
    while (used.has(name)) name = hashedName('tekton-creds', `${name}$`);
    used.add(name);
    plan.volumes.push({ name, secret: { secretName: secret.name } });
    plan.mounts.push({ name, mountPath: `${CREDS_SECRETS_DIR}/${secret.name}` });
  }
  if (plan.args.length === 0) return { ok: true, plan: { args: [], volumes: [], mounts: [] } };
  return { ok: true, plan };
}

/** The fresh in-memory /tekton/creds of step i (none when creds-init is disabled). */
export function credsHomeVolume(i: number, disabled: boolean): { volume: Volume; mount: VolumeMount } | undefined {
  if (disabled) return undefined;
  const name = `tekton-creds-init-home-${i}`;
  return { volume: { name, emptyDir: { medium: 'Memory' } }, mount: { name, mountPath: CREDS_DIR } };
}

/** Inserts the credential flags after the helper's `-step_metadata_dir` pair (Tekton's order). */
export function withCredArgs<C extends Pick<Container, 'args'>>(c: C, flags: readonly string[]): C {
  if (flags.length === 0 || !c.args) return c;
  const i = c.args.indexOf('-step_metadata_dir');
  const at = i >= 0 ? i + 2 : 0;
  return { ...c, args: [...c.args.slice(0, at), ...flags, ...c.args.slice(at)] };
}
