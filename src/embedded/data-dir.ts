/**
 * The data dir of embedded mode: private to its owner (0700; what is inside — the SQLite store with Secrets, the
 * API token, TLS key, kubeconfig and logs — is 0600), and used by one tektite process at a time. The lock is a
 * file created exclusively (`tkt.lock`, holding the owner's pid); a lock whose process is gone is stale and taken
 * over, so a crash never leaves the dir unusable.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'tkt.lock';

/** The data dir is held by another live process. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`data dir ${dataDir} is in use by another tkt process (pid ${pid}); stop it first, or use another --data-dir`);
    this.name = 'DataDirLockedError';
  }
}

/** Creates the dir (and parents) and makes it private to its owner. */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the dir's lock for this process; answers the function that releases it. Throws DataDirLockedError. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = holder(file);
      if (pid !== undefined && pid !== process.pid && alive(pid)) throw new DataDirLockedError(dir, pid);
      // stale (its process is gone) or half-written by a process that just started: take it over
      if (pid === undefined && attempt === 0) {
        // a lock being written right now has no pid yet; look again before calling it stale
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
        continue;
      }
      if (holder(file) === pid) rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (holder(file) === process.pid) rmSync(file, { force: true });
    };
  }
  const pid = holder(file);
  throw pid !== undefined ? new DataDirLockedError(dir, pid) : new Error(`cannot take the lock ${file}`);
}
