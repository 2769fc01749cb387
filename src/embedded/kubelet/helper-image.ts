/**
 * The local helper image of the podman and docker runtimes. Tekton pods start with a `prepare` init container
 * whose image holds the step helper (config.entrypointImage). In embedded mode with a container engine that
 * image must exist on this machine, with no registry: this file makes `localhost/tektite-helper:<hash>`, an image
 * holding only the static helper at /tektite/entrypoint (imported from a one-file tar), once per helper build.
 * The kubelet still bind-mounts the helper at /tektite/entrypoint in every container, so any image works too.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTar } from '../../controller/resolution/tar.js';
import type { ControllerConfig } from '../../controller/config.js';
import { runCapture } from './runtimes/proc.js';

/** Repository of the helper image; the tag is the first 12 hex digits of the helper binary's sha256. */
export const HELPER_IMAGE_REPOSITORY = 'localhost/tektite-helper';

/** The helper image's reference for a helper binary (content-addressed, so a rebuilt helper gets a new image). */
export function helperImageName(helperPath: string): string {
  const hash = createHash('sha256').update(readFileSync(helperPath)).digest('hex').slice(0, 12);
  return `${HELPER_IMAGE_REPOSITORY}:${hash}`;
}

/**
 * Makes sure the helper image exists in the engine (`podman` or `docker`) and answers its reference. Imports it
 * when missing; a concurrent import of the same tag by another process is harmless (same content).
 * Throws with the engine's message when the import fails.
 */
export async function ensureHelperImage(engine: 'podman' | 'docker', helperPath: string): Promise<string> {
  const image = helperImageName(helperPath);
  if ((await runCapture([engine, 'image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 30_000 })).code === 0) return image;
  const dir = mkdtempSync(join(tmpdir(), 'tektite-helper-image-'));
  try {
    const tar = join(dir, 'helper.tar');
    writeFileSync(tar, writeTar([{ name: 'tektite/entrypoint', data: readFileSync(helperPath), mode: 0o755 }]));
    const r = await runCapture([engine, 'import', '--change', 'ENTRYPOINT ["/tektite/entrypoint"]', tar, image], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`runtime ${engine}: could not create the local helper image ${image}: ${(r.stderr || r.stdout).trim()}`);
    return image;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The controller configuration for embedded mode: with the podman or docker runtime, the images the caller left
 * unset (`entrypointImage`, `nopImage`) become the local helper image; other runtimes change nothing.
 */
export async function withHelperImage(runtime: string, helperPath: string, config: Partial<ControllerConfig> = {}): Promise<Partial<ControllerConfig>> {
  if (runtime !== 'podman' && runtime !== 'docker') return config;
  if (config.entrypointImage !== undefined && config.nopImage !== undefined) return config;
  const image = await ensureHelperImage(runtime, helperPath);
  return { ...config, entrypointImage: config.entrypointImage ?? image, nopImage: config.nopImage ?? image };
}
