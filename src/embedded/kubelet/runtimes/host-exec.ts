/**
 * kubectl exec into a host-runtime container: the step helper's `nsexec` (src/entrypoint/nsexec.c) enters the
 * pod network's user and network namespaces, then the container's user, IPC, UTS, PID and mount namespaces and
 * its root, and runs the command with the container's restrictions: its uid and gid, its capability set,
 * no_new_privs and the same seccomp program. The command sees the container's files (its /tmp too), processes
 * and hostname, as in Kubernetes; it never gets more privilege than the container.
 */
import { DEFAULT_CAPABILITIES } from '../privileges.js';
import type { ContainerLaunch, ExecSession, StreamOptions } from '../types.js';
import { capabilityMask, EXEC_SECCOMP_FD, RESIZE_FD, spawnSession } from './exec-proc.js';

/** Where the container runs: its first process and the pod network's holder (none in tests without a network). */
export interface SandboxPids {
  target: number;
  holder?: number;
}

/** The argv of `nsexec` running `command` in the container (`seccomp`: the filter is open as fd 4). */
export function nsexecArgs(launch: ContainerLaunch, pids: SandboxPids, command: string[], opts: { tty: boolean; seccomp: boolean }): string[] {
  const caps = launch.privileged ? ['ALL'] : (launch.capabilities ?? DEFAULT_CAPABILITIES);
  const a = [launch.helperPath, 'nsexec'];
  if (pids.holder) a.push('-holder', String(pids.holder));
  a.push('-target', String(pids.target), '-uid', String(launch.runAsUser ?? 0), '-gid', String(launch.runAsGroup ?? 0));
  a.push('-caps', capabilityMask(caps), '-cwd', launch.workingDir || '/');
  if (opts.seccomp) a.push('-seccomp_fd', String(EXEC_SECCOMP_FD));
  if (opts.tty) a.push('-tty', '-resize_fd', String(RESIZE_FD));
  return [...a, '--', ...command];
}

/** Starts `command` in the running container; throws when the container has no process (yet). */
export function hostExec(launch: ContainerLaunch, pids: SandboxPids, command: string[], opts: StreamOptions & { env: NodeJS.ProcessEnv; seccomp?: string }): ExecSession {
  if (pids.target <= 0) throw new Error(`container ${launch.name} is not running`);
  const env: NodeJS.ProcessEnv = { ...opts.env };
  if (opts.tty) env.TERM ??= 'xterm';
  const argv = nsexecArgs(launch, pids, command, { tty: opts.tty, seccomp: opts.seccomp !== undefined });
  return spawnSession(argv, { env, stdin: opts.stdin, tty: opts.tty, ...(opts.seccomp ? { seccomp: opts.seccomp } : {}) });
}
