/**
 * Helpers of the kubectl exec/attach tests: the real kubectl (and `tkt`) run as child processes against an
 * in-process embedded cluster, with input written to their stdin and, for terminals, under `script` (a
 * pseudo-terminal). Commands never reject: the tests look at the exit code and both outputs.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import type { Pod } from '../../src/api/types.js';
import type { Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';
import { NS, POD, waitFor } from '../integration/helpers.js';

export const TKT = path.join(repoRoot, 'bin', 'tkt.js');

/** Whether a program runs (`script` from util-linux, kubectl). */
export function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; `input` is written to its stdin (closed after; `holdMs` keeps it open that long first). */
export function runProgram(argv: string[], opts: { input?: string; env?: Record<string, string>; holdMs?: number; timeoutMs?: number } = {}): Promise<Ran> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(cmd ?? 'false', args, { env: { ...process.env, NO_COLOR: '1', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString('utf8'); });
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString('utf8'); });
    child.stdin.on('error', () => undefined);
    if (opts.input) child.stdin.write(opts.input);
    const hold = setTimeout(() => child.stdin.end(), opts.holdMs ?? 0);
    const kill = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('close', (code, sig) => {
      clearTimeout(hold);
      clearTimeout(kill);
      resolve({ code: code ?? (sig ? 128 : 1), stdout, stderr });
    });
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs a shell command line on a pseudo-terminal of `cols`x`rows` (`script -qec`), stdin held open `holdMs`. */
export function onTerminal(commandLine: string, opts: { cols: number; rows: number; holdMs: number; env?: Record<string, string> }): Promise<Ran> {
  const line = `stty cols ${opts.cols} rows ${opts.rows}; ${commandLine}`;
  return runProgram(['script', '-qec', line, '/dev/null'], { holdMs: opts.holdMs, ...(opts.env ? { env: opts.env } : {}) });
}

/** kubectl against the world (its kubeconfig); `spdy` forces the SPDY transport (kubectl's fallback). */
export function kubectl(world: Embedded, args: string[], opts: { input?: string; spdy?: boolean; holdMs?: number; timeoutMs?: number } = {}): Promise<Ran> {
  const env: Record<string, string> = opts.spdy ? { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } : {};
  return runProgram(['kubectl', '--kubeconfig', world.kubeconfigPath, ...args], { ...opts, env });
}

/** kubectl's command line for {@link onTerminal}. */
export function kubectlLine(world: Embedded, args: string[]): string {
  return ['kubectl', '--kubeconfig', world.kubeconfigPath, ...args].map(quote).join(' ');
}

/** tkt (from source) against the world. */
export function tkt(world: Embedded, args: string[], opts: { input?: string; holdMs?: number } = {}): Promise<Ran> {
  return runProgram([process.execPath, TKT, '--kubeconfig', world.kubeconfigPath, ...args], { ...opts, env: { TKT_FROM_SOURCE: '1' } });
}

/** tkt's command line for {@link onTerminal}. */
export function tktLine(world: Embedded, args: string[]): string {
  return ['env', 'TKT_FROM_SOURCE=1', process.execPath, TKT, '--kubeconfig', world.kubeconfigPath, ...args].map(quote).join(' ');
}

/** Waits until every container of the pod runs. */
export async function waitRunning(world: Embedded, name: string): Promise<Pod> {
  return waitFor(`pod ${name} running`, async () => {
    const pod = await world.client.get<Pod>(POD, NS, name).catch(() => undefined);
    const statuses = pod?.status?.containerStatuses ?? [];
    return pod && statuses.length === pod.spec.containers.length && statuses.every((c) => c.state?.running) ? pod : undefined;
  }, 60_000);
}

/** A pod whose container `main` sleeps after writing a marker file into its own /tmp. */
export function sleeperPod(name: string, image: string, extra: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo marker > /tmp/marker; exec sleep 600'], ...extra }],
    },
  } as Pod;
}

/**
 * A pod whose container reads lines from its stdin (`stdin: true`): "got <line>" for each, "tick <n>" every
 * second without input, exit 4 on "quit".
 */
export function talkerPod(name: string, image: string): Pod {
  const script = 'i=0; while [ $i -lt 300 ]; do if read -t 1 line; then echo "got $line"; [ "$line" = quit ] && exit 4; else echo "tick $i"; fi; i=$((i+1)); done';
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS },
    spec: { restartPolicy: 'Never', containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', stdin: true, command: ['sh', '-c', script] }] },
  } as Pod;
}

/** The status lines that describe a process's privileges, for comparing two processes. */
export const PRIVILEGE_LINES = 'grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp|Uid|Gid|Groups):"';

/** Prints the privilege lines of the exec'd shell, a separator, and those of the container's own `sleep 600`. */
export const COMPARE_PRIVILEGES = `${PRIVILEGE_LINES} /proc/self/status; echo ===; for p in /proc/[0-9]*; do ` +
  `if [ "$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)" = "sleep 600 " ]; then ${PRIVILEGE_LINES} $p/status; break; fi; done`;
