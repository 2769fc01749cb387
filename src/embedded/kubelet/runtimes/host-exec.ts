/**
 * pods/exec for the host runtime: the command enters the running sandbox's namespaces (user, mount, PID, IPC, UTS,
 * network, as the container's user) with nsenter, then a nested bubblewrap over the container's own root applies
 * what the container has — its capability set, no_new_privs and the seccomp filter — so an exec'd command has no
 * more privilege than the step it looks into.
 */
import type { ContainerLaunch, ExecRequest } from '../types.js';
import { execCommand } from './exec-proc.js';

/** The command line of an exec into the sandbox whose PID 1 is `sandboxPid` (host PID). */
export function hostExecArgv(launch: ContainerLaunch, sandboxPid: number, req: ExecRequest, o: { bwrap: string; caps: string[]; seccompFd?: number }): string[] {
  const uid = String(launch.runAsUser ?? 0);
  const gid = String(launch.runAsGroup ?? 0);
  const wd = launch.workingDir || '/';
  const enter = ['nsenter', '-t', String(sandboxPid), '--all', '--root', `--wd=${wd}`, '-S', uid, '-G', gid, '--'];
  // `--dev-bind / /`: the container's root as it is, devices included (a plain bind would add nodev)
  const nested = [o.bwrap, '--unshare-user', '--uid', uid, '--gid', gid, ...o.caps];
  if (o.seccompFd !== undefined) nested.push('--seccomp', String(o.seccompFd));
  nested.push('--dev-bind', '/', '/', '--die-with-parent', ...(req.tty ? [] : ['--new-session']), '--chdir', wd, '--');
  return [...enter, ...nested, ...execCommand(req)];
}
