/**
 * A step without `command` runs its image's ENTRYPOINT/CMD. The lookup itself (registry, runtime) is injected
 * by the caller; this file holds Tekton's command rule and a built-in table of well-known images.
 */

/** An image's configured ENTRYPOINT and CMD. */
export interface ImageEntrypoint {
  entrypoint?: string[];
  cmd?: string[];
}

/** Looks up an image's ENTRYPOINT/CMD; undefined when unknown. */
export type ImageEntrypointLookup = (image: string) => ImageEntrypoint | undefined;

/*
 * The `docker-entrypoint.sh` of the official bash and node images, as a POSIX sh one-liner: with no args, or
 * args that start with '-' (node: or that are not a command), the interpreter is put in front; otherwise the args
 * run as given (`bash` image + `args: [echo, hi]` runs `echo hi`). Written inline because in the host runtime the
 * image is not there, only the interpreter.
 */
const BASH_ENTRYPOINT = ['/bin/sh', '-c', 'if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- bash "$@"; fi; exec "$@"', 'docker-entrypoint.sh'];
const NODE_ENTRYPOINT = [
  '/bin/sh', '-c',
  'if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then set -- node "$@"; fi; exec "$@"',
  'docker-entrypoint.sh',
];

/* Official Docker Hub images. */
const BUILTIN: Record<string, ImageEntrypoint> = {
  busybox: { cmd: ['sh'] },
  alpine: { cmd: ['/bin/sh'] },
  ubuntu: { cmd: ['/bin/bash'] },
  debian: { cmd: ['bash'] },
  bash: { entrypoint: BASH_ENTRYPOINT, cmd: ['bash'] },
  python: { cmd: ['python3'] },
  node: { entrypoint: NODE_ENTRYPOINT, cmd: ['node'] },
  perl: { cmd: ['perl'] },
};

/** Repository name of an image reference without registry host, tag and digest (`docker.io/library/x:1@sha256:..` → `library/x`). */
export function repositoryOf(image: string): string {
  let ref = image.split('@')[0] ?? '';
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) parts.shift();
  return parts.join('/');
}

/**
 * ENTRYPOINT/CMD of well-known official images (busybox, alpine, ubuntu, debian, bash, python, node, perl) at any
 * tag or digest, on Docker Hub or a mirror of it (`library/` path); undefined for anything else.
 */
export function builtinImageEntrypoints(image: string): ImageEntrypoint | undefined {
  const repo = repositoryOf(image);
  const name = repo.startsWith('library/') ? repo.slice('library/'.length) : repo;
  const hit = Object.hasOwn(BUILTIN, name) ? BUILTIN[name] : undefined;
  return hit ? { ...(hit.entrypoint ? { entrypoint: [...hit.entrypoint] } : {}), ...(hit.cmd ? { cmd: [...hit.cmd] } : {}) } : undefined;
}

/**
 * Tekton's command rule for a step with no `command`: the ENTRYPOINT when the image has one (CMD appended only when
 * the step gives no args), otherwise the CMD — even when the step gives args (`busybox` + `args: [-c, x]` runs
 * `sh -c x`). Returns the full argv, or undefined when the image has neither.
 */
export function imageCommand(info: ImageEntrypoint, args: readonly string[]): string[] | undefined {
  if (info.entrypoint && info.entrypoint.length > 0) {
    return [...info.entrypoint, ...(args.length > 0 ? args : (info.cmd ?? []))];
  }
  if (info.cmd && info.cmd.length > 0) return [...info.cmd, ...args];
  return undefined;
}
