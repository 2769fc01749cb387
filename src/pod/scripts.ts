/**
 * Script placement (Tekton's script.go): a step or sidecar `script` becomes an executable file under
 * /tekton/scripts, written by the `prepare` init container (`entrypoint init ... -script FILE BASE64`, no shell
 * needed), and the container's command becomes that file.
 */
import { createHash } from 'node:crypto';
import { SCRIPTS_DIR } from './layout.js';

/** Prepended to a script that has no shebang. */
export const DEFAULT_PREAMBLE = '#!/bin/sh\nset -e\n';

/** A script to place: its file inside the pod and its final content. */
export interface PlacedScript {
  path: string;
  content: string;
}

/**
 * Tekton's shebang rule: a script whose trimmed text does not start with `#!` runs under `/bin/sh` with `set -e`.
 * A script with a shebang keeps its text, minus leading whitespace (the kernel needs `#!` at byte 0).
 */
export function withShebang(script: string): string {
  const trimmed = script.trimStart();
  return trimmed.startsWith('#!') ? trimmed : DEFAULT_PREAMBLE + script;
}

/** Five deterministic characters (Tekton uses random ones; a rebuilt pod must be identical). */
function suffix(kind: string, index: number, content: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(`${kind}/${index}/${content}`).digest();
  let out = '';
  for (let i = 0; i < 5; i++) out += alphabet[(digest[i] ?? 0) % alphabet.length];
  return out;
}

/** Places the script of step or sidecar `index`: `/tekton/scripts/script-<i>-<xxxxx>` or `sidecar-script-<i>-<xxxxx>`. */
export function placeScript(kind: 'step' | 'sidecar', index: number, script: string): PlacedScript {
  const content = withShebang(script);
  const prefix = kind === 'step' ? 'script' : 'sidecar-script';
  return { path: `${SCRIPTS_DIR}/${prefix}-${index}-${suffix(kind, index, content)}`, content };
}

/** The `prepare` arguments that write the scripts: `-script FILE BASE64` each. */
export function scriptInitArgs(scripts: readonly PlacedScript[]): string[] {
  return scripts.flatMap((s) => ['-script', s.path, Buffer.from(s.content, 'utf8').toString('base64')]);
}
