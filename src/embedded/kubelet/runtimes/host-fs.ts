/**
 * Mount points inside the host's read-only userland. bwrap cannot create a directory inside a read-only bind
 * (`--ro-bind /etc /etc` then a volume at /etc/config fails with "Can't mkdir"), so the deepest existing host
 * directory above such a target is replaced by a tmpfs that holds read-only binds of all its entries; the
 * target can then be created in it. Only done when a target is missing, so the usual sandbox is unchanged.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** The host directories bound read-only into every sandbox. */
export const RO_ROOTS = ['/usr', '/etc', '/opt'];

function kind(p: string): 'dir' | 'link' | 'other' | 'missing' {
  try {
    const st = lstatSync(p);
    return st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

/** The directory to re-create as a tmpfs so that `target` can be made, or undefined when none is needed. */
export function blockingDir(target: string): string | undefined {
  const t = path.posix.normalize(target);
  const root = RO_ROOTS.find((r) => t.startsWith(`${r}/`));
  if (!root || kind(root) !== 'dir' || kind(t) !== 'missing') return undefined;
  let d = path.posix.dirname(t);
  while (d !== root && kind(d) !== 'dir') d = path.posix.dirname(d);
  return d;
}

function entryArgs(dir: string): string[] {
  const a: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.posix.join(dir, name);
    const k = kind(full);
    if (k === 'link') a.push('--symlink', readlinkSync(full), full);
    else if (k !== 'missing') a.push('--ro-bind', full, full);
  }
  return a;
}

/**
 * bwrap arguments that make every target creatable: `before` goes after the read-only userland binds, `after`
 * after the volume binds (it makes the re-created directories read-only again).
 */
export function creatableArgs(targets: string[]): { before: string[]; after: string[] } {
  const dirs = new Set<string>();
  for (const t of targets) {
    const d = blockingDir(t);
    if (d) dirs.add(d);
  }
  const ordered = [...dirs].sort((x, y) => x.split('/').length - y.split('/').length);
  return {
    before: ordered.flatMap((d) => ['--tmpfs', d, ...entryArgs(d)]),
    after: ordered.flatMap((d) => ['--remount-ro', d]),
  };
}
