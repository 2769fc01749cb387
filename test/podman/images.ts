/**
 * Local images for the podman tests, made with no registry (reference/runtime-feasibility.md §1.2): a busybox
 * rootfs imported with `podman import`, and a shell-less image holding one static program built here.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs a command; answers its exit status and output (never throws). */
export function run(argv: string[]): { ok: boolean; out: string } {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd ?? 'false', args, { encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'tkt-podman-img-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function importRootfs(root: string, image: string, changes: string[]): string | undefined {
  return withTempDir((dir) => {
    const tar = path.join(dir, 'rootfs.tar');
    const t = run(['tar', '-C', root, '--owner=0', '--group=0', '-cf', tar, '.']);
    if (!t.ok) return `tar: ${t.out}`;
    const r = run(['podman', 'import', ...changes.flatMap((c) => ['--change', c]), tar, image]);
    return r.ok ? undefined : `podman import: ${r.out}`;
  });
}

/**
 * Imports a busybox image (/bin/busybox plus its applet symlinks, CMD ["sh"], PATH=/bin) as `image`.
 * Answers undefined on success, else why it could not.
 */
export function buildBusyboxImage(image: string): string | undefined {
  if (!existsSync('/bin/busybox')) return '/bin/busybox is missing (apt-get install busybox-static)';
  return withTempDir((dir) => {
    const root = path.join(dir, 'rootfs');
    for (const d of ['bin', 'tmp', 'etc', 'proc', 'sys', 'dev', 'root']) mkdirSync(path.join(root, d), { recursive: true });
    chmodSync(path.join(root, 'tmp'), 0o1777);
    copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
    chmodSync(path.join(root, 'bin/busybox'), 0o755);
    const applets = spawnSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((c) => c && c !== 'busybox');
    for (const a of applets) symlinkSync('busybox', path.join(root, 'bin', a));
    writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
    return importRootfs(root, image, ['CMD ["sh"]', 'ENV PATH=/bin']);
  });
}

const HELLO_C = `#include <unistd.h>
int main(int argc, char **argv) {
  static const char msg[] = "hello from an image with no shell\\n";
  (void)argc; (void)argv;
  return write(1, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1) ? 0 : 1;
}
`;

/**
 * Imports an image whose only file is `/hello`, a static program built here with musl-gcc (or cc -static):
 * no shell, no libc, nothing else. Answers undefined on success, else why it could not.
 */
export function buildNoShellImage(image: string): string | undefined {
  return withTempDir((dir) => {
    const src = path.join(dir, 'hello.c');
    writeFileSync(src, HELLO_C);
    const root = path.join(dir, 'rootfs');
    mkdirSync(root);
    const out = path.join(root, 'hello');
    const tries = [['musl-gcc', '-static', '-Os', '-s'], ['cc', '-static', '-Os', '-s']];
    const errors: string[] = [];
    for (const cc of tries) {
      const r = run([...cc, '-o', out, src]);
      if (r.ok) return importRootfs(root, image, []);
      errors.push(`${cc[0]}: ${r.out.split('\n')[0] ?? ''}`);
    }
    return `no static C compiler worked (${errors.join('; ')}); apt-get install musl-tools`;
  });
}

/** Removes images made by a test (ignores ones already gone). */
export function removeImages(...images: string[]): void {
  for (const image of images) run(['podman', 'rmi', '-f', image]);
}

/** True when the image exists in podman's local store. */
export function imageExists(image: string): boolean {
  return run(['podman', 'image', 'exists', image]).ok;
}
