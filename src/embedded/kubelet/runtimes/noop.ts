/**
 * The `noop` runtime, for benchmarking the control plane: every container completes at once with exit code 0.
 * A Tekton step container (`step-*`) also reports the termination message its helper would write: every result
 * named in the helper's `-results` flag with value "" plus StartedAt. It touches no host files, so the kubelet
 * creates no volume directories or termination-message files for its pods.
 */
import type { ContainerHandle, ContainerLaunch, ContainerRuntime } from '../types.js';

/** The result names declared by a Tekton helper command line (`-results a,b`, `--results=a,b`). */
export function declaredResults(argv: string[]): string[] {
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    let value: string | undefined;
    if (a === '-results' || a === '--results') value = argv[++i];
    else if (a.startsWith('-results=') || a.startsWith('--results=')) value = a.slice(a.indexOf('=') + 1);
    if (value) names.push(...value.split(',').map((s) => s.trim()).filter(Boolean));
  }
  return names;
}

/** The termination message a noop step reports. */
export function noopMessage(launch: ContainerLaunch, now = new Date()): string {
  const argv = [...(launch.command ?? []), ...(launch.args ?? [])];
  const entries: Array<{ key: string; value: string; type: number }> = declaredResults(argv).map((key) => ({ key, value: '', type: 1 }));
  entries.push({ key: 'StartedAt', value: now.toISOString(), type: 3 });
  return JSON.stringify(entries);
}

/** Completes every container immediately. */
export class NoopRuntime implements ContainerRuntime {
  readonly name = 'noop';
  readonly usesHostFiles = false;

  async preparePod(): Promise<void> {
    // nothing to prepare
  }

  async start(launch: ContainerLaunch): Promise<ContainerHandle> {
    const message = launch.name.startsWith('step-') ? noopMessage(launch) : undefined;
    return {
      containerID: `noop://${launch.pod.uid}-${launch.name}`,
      imageID: launch.image,
      exited: Promise.resolve(message === undefined ? { exitCode: 0 } : { exitCode: 0, message }),
      kill: async () => undefined,
      exec: async () => 0,
    };
  }

  async cleanupPod(): Promise<void> {
    // nothing to remove
  }
}
