/** Turns a pod's container spec into a runtime-neutral ContainerLaunch (mounts, env, command, user). */
import { access, chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container, Pod } from '../../api/types.js';
import { expandVars } from './env.js';
import { capabilitiesOf } from './privileges.js';
import type { ContainerLaunch, Mount, PodIdentity } from './types.js';
import { UnsupportedVolumeError, type PreparedVolume } from './volumes.js';

/** Kubernetes' default terminationMessagePath. */
export const DEFAULT_TERMINATION_PATH = '/dev/termination-log';

/** The host file that receives a container's termination message. */
export function terminationFile(pod: PodIdentity, name: string, init: boolean): string {
  return path.join(pod.dir, 'term', `${init ? 'init-' : ''}${name}`);
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

function depth(p: string): number {
  return path.posix.normalize(p).split('/').filter(Boolean).length;
}

async function mountsOf(c: Container, volumes: Map<string, PreparedVolume>, env: ReadonlyMap<string, string>, hostFiles: boolean): Promise<Mount[]> {
  const out: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const vol = volumes.get(vm.name);
    if (!vol) throw new UnsupportedVolumeError(`container ${c.name}: volumeMount "${vm.name}" names no volume of the pod`);
    const sub = vm.subPath || (vm.subPathExpr ? expandVars(vm.subPathExpr, env) : '');
    const norm = sub ? path.posix.normalize(sub) : '';
    if (norm.startsWith('..') || path.posix.isAbsolute(norm)) {
      throw new UnsupportedVolumeError(`container ${c.name}: invalid subPath "${sub}"`);
    }
    const hostPath = norm ? path.join(vol.hostPath, norm) : vol.hostPath;
    if (hostFiles && norm && !(await exists(hostPath))) await mkdir(hostPath, { recursive: true, mode: 0o777 });
    out.push({ hostPath, containerPath: path.posix.normalize(vm.mountPath), readOnly: vm.readOnly === true || vol.readOnly });
  }
  const sorted = out.map((m, i) => ({ m, i, d: depth(m.containerPath) })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.m);
  if (hostFiles) await mountPointsInReadOnlyParents(sorted);
  return sorted;
}

function isUnder(child: string, parent: string): boolean {
  return child !== parent && child.startsWith(parent.replace(/\/$/, '') + '/');
}

/** A mount nested in a read-only mount needs its mount point to exist already: create it in the parent's dir. */
async function mountPointsInReadOnlyParents(mounts: Mount[]): Promise<void> {
  for (let i = 0; i < mounts.length; i++) {
    const m = mounts[i];
    if (!m) continue;
    const parent = mounts.slice(0, i).reverse().find((p) => isUnder(m.containerPath, p.containerPath));
    if (!parent?.readOnly) continue;
    const point = path.join(parent.hostPath, path.posix.relative(parent.containerPath, m.containerPath));
    if (await exists(point)) continue;
    if ((await stat(m.hostPath)).isDirectory()) await mkdir(point, { recursive: true });
    else {
      await mkdir(path.dirname(point), { recursive: true });
      await writeFile(point, '');
    }
  }
}

/** Creates the working directory on the host when it lies inside a writable volume. */
async function ensureWorkingDir(wd: string | undefined, mounts: Mount[]): Promise<void> {
  if (!wd) return;
  const target = path.posix.normalize(wd);
  let best: Mount | undefined;
  for (const m of mounts) {
    const inside = target === m.containerPath || target.startsWith(m.containerPath.replace(/\/$/, '') + '/');
    if (inside && (!best || depth(m.containerPath) >= depth(best.containerPath))) best = m;
  }
  if (!best || best.readOnly) return;
  await mkdir(path.join(best.hostPath, path.posix.relative(best.containerPath, target)), { recursive: true });
}

/**
 * Everything the runtime needs to start container `c`. With `hostFiles` (default) also creates its subPath dirs,
 * workingDir and termination file (in the pod's `term` directory, which the pod runner creates); without, none.
 */
export async function buildLaunch(input: {
  pod: Pod; id: PodIdentity; container: Container; init: boolean; env: Map<string, string>;
  volumes: Map<string, PreparedVolume>; helperPath: string; hostFiles?: boolean;
}): Promise<ContainerLaunch> {
  const { pod, id, container: c, env } = input;
  const hostFiles = input.hostFiles !== false;
  const mounts = await mountsOf(c, input.volumes, env, hostFiles);
  const termHost = terminationFile(id, c.name, input.init);
  if (hostFiles) {
    await ensureWorkingDir(c.workingDir, mounts);
    await writeFile(termHost, '');
    await chmod(termHost, 0o666);
  }
  const sc = c.securityContext ?? {};
  const psc = pod.spec.securityContext ?? {};
  return {
    pod: id,
    name: c.name,
    image: c.image ?? '',
    command: c.command?.map((s) => expandVars(s, env)),
    args: c.args?.map((s) => expandVars(s, env)),
    env: [...env],
    workingDir: c.workingDir || undefined,
    mounts,
    termination: { hostPath: termHost, containerPath: c.terminationMessagePath || DEFAULT_TERMINATION_PATH },
    runAsUser: sc.runAsUser ?? psc.runAsUser,
    runAsGroup: sc.runAsGroup ?? psc.runAsGroup,
    helperPath: input.helperPath,
    ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    init: input.init,
    ...capabilitiesOf(c),
  };
}
