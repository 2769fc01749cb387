/** Runs one container of a pod to completion: config, start, logs, probes, termination message, status. */
import { open } from 'node:fs/promises';
import type { Container, Pod } from '../../api/types.js';
import { resolveEnv } from './env.js';
import { pullImage } from './image-pull.js';
import type { PodEvents } from './pod-events.js';
import { buildLaunch } from './launch.js';
import { startProbes } from './probes.js';
import { ConfigError, type SourceCache } from './sources.js';
import { kubeTime, type ContainerRecord } from './status.js';
import type { ContainerHandle, ContainerRuntime, KubeletLogger, LogSink, PodIdentity } from './types.js';
import type { PreparedVolume } from './volumes.js';

const MAX_MESSAGE = 4096;
const TAIL_BYTES = 2048;
const CONFIG_RETRY_MS = 1000;

/** What a container run needs from its pod. */
export interface ContainerRunContext {
  /** The latest version of the pod (annotations may change while it runs). */
  pod(): Pod;
  id: PodIdentity;
  runtime: ContainerRuntime;
  logs: LogSink;
  log: KubeletLogger;
  sources: SourceCache;
  volumes: Map<string, PreparedVolume>;
  helperPath: string;
  nodeName: string;
  /** Events about the pod and its containers. */
  events: PodEvents;
  /** Called after every change of the record; `prompt` for changes the controllers act on (see StatusWriter). */
  changed(prompt?: boolean): void;
  /** True once the pod is being torn down: do not start anything. */
  aborted(): boolean;
  /** Registers a running container so that the pod can kill it. */
  track(name: string, handle: ContainerHandle | undefined): void;
  /** True when the container was stopped because its image was replaced (reported as Completed, exit 0). */
  replaced(name: string): boolean;
  /** Hands the container's output to its attached clients (kubectl attach). */
  tap(name: string, chunk: string): void;
}

async function readMessage(file: string): Promise<string> {
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(MAX_MESSAGE);
      const { bytesRead } = await fh.read(buf, 0, MAX_MESSAGE, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}

function tailOfLog(tail: string): string {
  const lines = tail.split('\n');
  return lines.slice(-80).join('\n').slice(-TAIL_BYTES);
}

async function waitEnv(ctx: ContainerRunContext, c: Container, rec: ContainerRecord): Promise<Map<string, string> | undefined> {
  for (;;) {
    if (ctx.aborted()) return undefined;
    try {
      return await resolveEnv(ctx.pod(), c, ctx.sources, ctx.nodeName);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const waiting = rec.state.waiting;
      if (waiting?.reason !== 'CreateContainerConfigError' || waiting.message !== err.message) {
        rec.state = { waiting: { reason: 'CreateContainerConfigError', message: err.message } };
        ctx.changed(true);
      }
      await new Promise((r) => setTimeout(r, CONFIG_RETRY_MS));
      ctx.sources.clear();
    }
  }
}

function terminate(rec: ContainerRecord, exitCode: number, startedAt: string, message: string, reason?: string): void {
  rec.state = {
    terminated: {
      exitCode,
      reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      ...(message ? { message } : {}),
      startedAt,
      finishedAt: kubeTime(),
      ...(rec.containerID ? { containerID: rec.containerID } : {}),
    },
  };
  rec.ready = false;
  rec.started = false;
}

async function startHandle(ctx: ContainerRunContext, c: Container, rec: ContainerRecord, env: Map<string, string>, onOutput: (s: string) => void): Promise<{ handle?: ContainerHandle; termFile?: string; error?: string }> {
  try {
    const hostFiles = ctx.runtime.usesHostFiles !== false;
    const launch = await buildLaunch({ pod: ctx.pod(), id: ctx.id, container: c, init: rec.init, env, volumes: ctx.volumes, helperPath: ctx.helperPath, hostFiles });
    if (ctx.aborted()) return {};
    return { handle: await ctx.runtime.start(launch, onOutput), ...(hostFiles ? { termFile: launch.termination.hostPath } : {}) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * Runs container `c` (recorded in `rec`) and answers its exit code, or undefined when the pod was torn down
 * before it started.
 */
export async function runContainer(ctx: ContainerRunContext, c: Container, rec: ContainerRecord): Promise<number | undefined> {
  const env = await waitEnv(ctx, c, rec);
  if (!env || !(await pullImage(ctx, c, rec))) return undefined;
  const ns = ctx.id.namespace;
  let tail = '';
  const onOutput = (chunk: string): void => {
    tail = (tail + chunk).slice(-8192);
    void ctx.logs.append(ns, ctx.id.name, c.name, chunk);
    ctx.tap(c.name, chunk);
  };
  const startedAt = kubeTime();
  const { handle, termFile, error } = await startHandle(ctx, c, rec, env, onOutput);
  if (!handle) {
    if (error === undefined) return undefined;
    ctx.events.container(c.name, rec.init, 'Warning', 'Failed', `Error: ${error}`);
    terminate(rec, 128, startedAt, error, 'StartError');
    void ctx.logs.finish(ns, ctx.id.name, c.name);
    ctx.changed(true);
    return 128;
  }
  return await follow(ctx, c, rec, { handle, termFile, startedAt, tail: () => tail });
}

async function follow(ctx: ContainerRunContext, c: Container, rec: ContainerRecord, run: { handle: ContainerHandle; termFile?: string; startedAt: string; tail: () => string }): Promise<number> {
  const { handle } = run;
  ctx.events.container(c.name, rec.init, 'Normal', 'Created', `Created container: ${c.name}`);
  ctx.events.container(c.name, rec.init, 'Normal', 'Started', `Started container ${c.name}`);
  ctx.track(c.name, handle);
  rec.containerID = handle.containerID;
  rec.imageID = handle.imageID;
  rec.state = { running: { startedAt: run.startedAt } };
  rec.started = true;
  const probes = rec.init ? undefined : startProbes(c, handle, ctx.log, (ready) => {
    if (rec.state.running && rec.ready !== ready) {
      rec.ready = ready;
      ctx.changed(true);
    }
  });
  ctx.changed();
  const info = await handle.exited;
  probes?.stop();
  ctx.track(c.name, undefined);
  void ctx.logs.finish(ctx.id.namespace, ctx.id.name, c.name);
  let message = info.startError ?? info.message ?? (run.termFile ? await readMessage(run.termFile) : '');
  if (!message && info.exitCode !== 0 && c.terminationMessagePolicy === 'FallbackToLogsOnError') message = tailOfLog(run.tail());
  const exitCode = ctx.replaced(c.name) ? 0 : info.exitCode;
  terminate(rec, exitCode, run.startedAt, message, info.startError ? 'StartError' : undefined);
  // an init container that succeeded is followed by the next one: nobody waits for that write
  ctx.changed(!rec.init || exitCode !== 0);
  return exitCode;
}
