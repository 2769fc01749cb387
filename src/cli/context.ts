/**
 * What every command gets: the I/O streams, the clock, the environment, the parsed global flags and a lazily
 * built Kubernetes client. Tests build a CliIO with captured streams and a fixed clock; the real one wraps
 * `process`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { InfraError, UsageError } from './errors.js';
import { makeTheme, wantsColor, type Theme } from './output/theme.js';

/** A writable text stream (process.stdout, or a capture in tests). */
export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Signals the long-running commands (`up`, `run`, `logs -f`) stop on. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** Everything the CLI touches outside itself. */
export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  now(): Date;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  onSignal(handler: (signal: StopSignal) => void): () => void;
}

/** The global flags (`--kubeconfig`, `--context`, `-n`, `--debug`, `--no-color`). */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  debug?: boolean;
  /** false with `--no-color`. */
  color?: boolean;
}

/** The real process as CliIO. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    onSignal(handler) {
      const on = (sig: NodeJS.Signals): void => handler(sig as StopSignal);
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
      return () => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      };
    },
  };
}

/** Whether a live process holds the data dir's lock (`tkt.lock` holds its pid; removed when tkt up stops). */
function tktUpRunning(dataDir: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(dataDir, 'tkt.lock'), 'utf8'), 10);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The per-invocation context handed to command actions. */
export class CliContext {
  readonly io: CliIO;
  readonly opts: GlobalOptions;
  private cachedClient?: KubeClient;

  constructor(io: CliIO, opts: GlobalOptions) {
    this.io = io;
    this.opts = opts;
  }

  /** Builds the context of a commander action from its command's merged options. */
  static fromCommand(io: CliIO, cmd: Command): CliContext {
    const o = cmd.optsWithGlobals<GlobalOptions>();
    return new CliContext(io, { kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, debug: o.debug, color: o.color });
  }

  /** Colours for stdout. */
  get out(): Theme {
    return makeTheme(wantsColor(this.io.stdout, this.io.env, this.opts.color === false));
  }

  /** Colours for stderr. */
  get err(): Theme {
    return makeTheme(wantsColor(this.io.stderr, this.io.env, this.opts.color === false));
  }

  /** The current time (injected clock). */
  now(): Date {
    return this.io.now();
  }

  /**
   * The kubeconfig file to load: `--kubeconfig`, else a single-file $KUBECONFIG; with neither, a running `tkt up`'s
   * `./.tkt/kubeconfig` when there is no ~/.kube/config and no in-cluster config. Undefined: client-node's default.
   */
  kubeconfigPath(): string | undefined {
    const env = this.io.env.KUBECONFIG;
    if (this.opts.kubeconfig) return this.opts.kubeconfig;
    if (env) return env.includes(':') ? undefined : env;
    const home = this.io.env.HOME;
    if (home && existsSync(join(home, '.kube', 'config'))) return join(home, '.kube', 'config');
    if (this.io.env.KUBERNETES_SERVICE_HOST) return undefined;
    const local = join(this.io.cwd, '.tkt', 'kubeconfig');
    if (existsSync(local)) {
      if (tktUpRunning(join(this.io.cwd, '.tkt'))) return local;
      throw new InfraError(
        'no cluster configured, and the tkt up of ./.tkt is not running (no live process holds ./.tkt/tkt.lock): ' +
          'start it again with `npx tkt up` (it finds its objects again), or point --kubeconfig/$KUBECONFIG at a cluster.',
      );
    }
    throw new InfraError(
      'no cluster configured: no --kubeconfig, no $KUBECONFIG, no ~/.kube/config and no ./.tkt/kubeconfig. ' +
        'Start an embedded cluster with `npx tkt up` (in this directory, or export the KUBECONFIG it prints), ' +
        'or point --kubeconfig/$KUBECONFIG at a cluster. `tkt run -f FILE` needs no cluster at all.',
    );
  }

  /** The Kubernetes client of `--kubeconfig`/`--context` (or $KUBECONFIG, ~/.kube/config, ./.tkt, in-cluster). */
  client(): KubeClient {
    if (this.cachedClient) return this.cachedClient;
    const kubeconfig = this.kubeconfigPath();
    let kc;
    try {
      kc = loadKubeConfig({ kubeconfig, context: this.opts.context });
    } catch (err) {
      throw new UsageError(`cannot load kubeconfig${kubeconfig ? ` ${kubeconfig}` : ''}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (this.opts.context && !kc.getContextObject(this.opts.context)) throw new UsageError(`context "${this.opts.context}" does not exist in the kubeconfig`);
    try {
      this.cachedClient = new KubeClient(kc);
    } catch (err) {
      throw new UsageError(`invalid kubeconfig: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.cachedClient;
  }

  /** Fails fast (exit 3) when the API server does not answer `GET /version`. */
  async ping(): Promise<void> {
    await this.client().requestText('GET', '/version');
  }

  /** Uses an existing client (embedded mode, tests). */
  useClient(client: KubeClient): void {
    this.cachedClient = client;
  }

  /** `-n`, else the namespace of the kubeconfig context, else `default`. */
  namespace(): string {
    return this.opts.namespace ?? this.client().defaultNamespace;
  }

  /** Writes to stdout. */
  print(text: string): void {
    this.io.stdout.write(text);
  }

  /** Writes to stderr. */
  printErr(text: string): void {
    this.io.stderr.write(text);
  }
}
