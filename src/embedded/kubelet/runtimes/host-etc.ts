/**
 * The /etc of a host-runtime container: the host's, read-only, as an unprivileged user of this machine sees it —
 * every file or directory that is not world-readable (shadow and gshadow, SSH host keys, TLS private keys, database
 * and sudo rules…) is masked (an empty file or directory) — with an image-like passwd and group naming only system
 * accounts and the container's user, so host accounts are not listed.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Entries under /etc that others may not read, found by a walk (cached for a while: /etc rarely changes). */
let cached: { at: number; files: string[]; dirs: string[] } | undefined;
const CACHE_MS = 30_000;

function walk(dir: string, out: { files: string[]; dirs: string[] }, depth: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const full = path.join(dir, name);
    let st;
    try {
      st = statSync(full, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!st) continue;
    const isDir = st.isDirectory();
    if (!isDir && !st.isFile()) continue;
    const hidden = isDir ? (st.mode & 0o005) !== 0o005 : (st.mode & 0o004) === 0;
    if (hidden) (isDir ? out.dirs : out.files).push(full);
    else if (isDir && depth < 8) walk(full, out, depth + 1);
  }
}

/** The non-world-readable entries of `root` (default /etc). */
export function privateEntries(root = '/etc', now = Date.now()): { files: string[]; dirs: string[] } {
  if (root === '/etc' && cached && now - cached.at < CACHE_MS) return cached;
  const out = { files: [] as string[], dirs: [] as string[] };
  walk(root, out, 0);
  if (root === '/etc') cached = { at: now, ...out };
  return out;
}

/** passwd and group of an image: system accounts, plus the container's user and group when they are others. */
export function accountFiles(uid: number, gid: number): { passwd: string; group: string } {
  const users = [
    'root:x:0:0:root:/root:/bin/sh', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 'bin:x:2:2:bin:/bin:/usr/sbin/nologin',
    'sys:x:3:3:sys:/dev:/usr/sbin/nologin', 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  ];
  const groups = ['root:x:0:', 'daemon:x:1:', 'bin:x:2:', 'sys:x:3:', 'adm:x:4:', 'tty:x:5:', 'nogroup:x:65534:'];
  if (![0, 1, 2, 3, 65534].includes(uid)) users.push(`user:x:${uid}:${gid}:user:/home:/bin/sh`);
  if (![0, 1, 2, 3, 4, 5, 65534].includes(gid)) groups.push(`user:x:${gid}:`);
  return { passwd: `${users.join('\n')}\n`, group: `${groups.join('\n')}\n` };
}

/**
 * bwrap arguments that put the image-like account files and the masks over the read-only host /etc; `dir` is a
 * directory of the pod where the account files are written.
 */
export function etcArgs(dir: string, uid: number, gid: number): string[] {
  mkdirSync(dir, { recursive: true });
  const { passwd, group } = accountFiles(uid, gid);
  writeFileSync(path.join(dir, 'passwd'), passwd, { mode: 0o644 });
  writeFileSync(path.join(dir, 'group'), group, { mode: 0o644 });
  const a = ['--ro-bind', path.join(dir, 'passwd'), '/etc/passwd', '--ro-bind', path.join(dir, 'group'), '/etc/group'];
  const hidden = privateEntries();
  for (const f of hidden.files) a.push('--ro-bind', '/dev/null', f);
  for (const d of hidden.dirs) a.push('--tmpfs', d, '--remount-ro', d);
  return a;
}
