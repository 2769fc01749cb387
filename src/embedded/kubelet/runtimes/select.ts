/**
 * Picks the container runtime. `auto`: docker when a docker engine answers, else podman when `podman info`
 * succeeds quickly, else host (bubblewrap). An explicit choice that cannot work fails with a clear message.
 */
import type { ContainerRuntime, KubeletLogger } from '../types.js';
import { CliRuntime, engineAnswers } from './cli.js';
import { engineNetMode } from './engine-net.js';
import { bwrapWorks, HostRuntime, pastaWorks } from './host.js';
import { NoopRuntime } from './noop.js';

/** The runtimes a user can ask for. */
export type RuntimeChoice = 'host' | 'podman' | 'docker' | 'noop' | 'auto';

/** The runtime was asked for but is not usable here. */
export class RuntimeUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeUnavailableError';
  }
}

/** How the host runtime's pods reach the host: the host loopback ports they may use (`--host-port`). */
export interface HostNetworkOptions {
  hostPorts?: number[];
}

async function host(opts: HostNetworkOptions & { log?: KubeletLogger }): Promise<ContainerRuntime> {
  if (!(await bwrapWorks())) {
    throw new RuntimeUnavailableError('runtime host needs bubblewrap (`bwrap`), which is missing or cannot create a sandbox here (apt-get install bubblewrap)');
  }
  const pasta = await pastaWorks();
  if (!pasta) opts.log?.warn('kubelet: pasta (apt-get install passt) is missing or cannot run here: host-runtime pods get a network namespace with loopback only (no outbound network)');
  return new HostRuntime({ hostPorts: opts.hostPorts ?? [], pasta });
}

async function engine(name: 'podman' | 'docker', timeoutMs: number, opts: HostNetworkOptions & { log?: KubeletLogger }): Promise<ContainerRuntime | undefined> {
  if (!(await engineAnswers(name, timeoutMs))) return undefined;
  // docker has no pods: its pods use the host network (docs/security.md)
  if (name === 'docker') return CliRuntime.create('docker');
  const pasta = await pastaWorks();
  const mode = await engineNetMode(pasta);
  if (mode === 'pod' && opts.hostPorts?.length) {
    opts.log?.warn(`kubelet: runtime podman: each pod is a podman pod on podman's default network here (${process.getuid?.() === 0 ? 'pasta or ip is missing' : 'not root'}): this machine's loopback ports (--host-port, the API server's) are not reachable from pods`);
  }
  return CliRuntime.create('podman', { mode, hostPorts: opts.hostPorts ?? [], ...(pasta ? { pasta } : {}) });
}

/** The runtime for a choice. */
export async function selectRuntime(choice: RuntimeChoice, opts: { log?: KubeletLogger } & HostNetworkOptions = {}): Promise<ContainerRuntime> {
  switch (choice) {
    case 'noop': return new NoopRuntime();
    case 'host': return host(opts);
    case 'podman':
    case 'docker': {
      const rt = await engine(choice, 15_000, opts);
      if (!rt) throw new RuntimeUnavailableError(`runtime ${choice}: \`${choice} info\` does not answer (is the ${choice} engine installed and running?)`);
      return rt;
    }
    case 'auto': {
      const rt = (await engine('docker', 3000, opts)) ?? (await engine('podman', 5000, opts));
      if (rt) return rt;
      opts.log?.debug?.('kubelet: no container engine answers; using the host runtime');
      return host(opts);
    }
    default:
      throw new RuntimeUnavailableError(`unknown runtime "${String(choice)}" (host, podman, docker, noop or auto)`);
  }
}
