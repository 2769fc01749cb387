/**
 * Pulling a container's image before it is created, as the kubelet's image manager does: events Pulling / Pulled
 * (or "already present"), and on failure the container waits in `ErrImagePull` with the registry's message, then
 * in `ImagePullBackOff` ("Back-off pulling image …") while the kubelet waits 10 s, 20 s, … up to 5 min before it
 * tries again. Runtimes without images (host, noop) skip all of it.
 */
import type { Container } from '../../api/types.js';
import type { ContainerRunContext } from './container-run.js';
import { pullDuration } from './pod-events.js';
import type { ContainerRecord } from './status.js';

const FIRST_BACKOFF_MS = 10_000;
const MAX_BACKOFF_MS = 300_000;
/** How long ErrImagePull shows before the back-off state (a kubelet's next pod sync). */
const ERR_SHOWN_MS = 1000;

/** Sleeps `ms`, waking early when the pod is torn down; answers false when it was. */
async function pause(ctx: ContainerRunContext, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (ctx.aborted()) return false;
    await new Promise((r) => setTimeout(r, Math.min(250, until - Date.now())));
  }
  return !ctx.aborted();
}

function setWaiting(ctx: ContainerRunContext, rec: ContainerRecord, reason: string, message: string): void {
  rec.state = { waiting: { reason, message } };
  ctx.changed(true);
}

/** Makes the image of `c` present; answers false when the pod was torn down first. */
export async function pullImage(ctx: ContainerRunContext, c: Container, rec: ContainerRecord): Promise<boolean> {
  const runtime = ctx.runtime;
  if (!runtime.ensureImage) return true;
  const image = c.image ?? '';
  const ev = (type: 'Normal' | 'Warning', reason: string, message: string): void => ctx.events.container(c.name, rec.init, type, reason, message);
  for (let backoff = FIRST_BACKOFF_MS; ; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
    if (ctx.aborted()) return false;
    const r = await runtime.ensureImage(image, c.imagePullPolicy, () => ev('Normal', 'Pulling', `Pulling image "${image}"`), ctx.id.pullAuthFile);
    if (r.status === 'present') {
      ev('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return true;
    }
    if (r.status === 'pulled') {
      const took = pullDuration(r.ms);
      ev('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting)`);
      return true;
    }
    if (r.reason === 'ErrImageNeverPull') {
      ev('Warning', 'ErrImageNeverPull', r.message);
      setWaiting(ctx, rec, 'ErrImageNeverPull', r.message);
      if (!(await pause(ctx, backoff))) return false;
      continue;
    }
    ev('Warning', 'Failed', `Failed to pull image "${image}": ${r.message}`);
    ev('Warning', 'Failed', 'Error: ErrImagePull');
    setWaiting(ctx, rec, 'ErrImagePull', r.message);
    if (!(await pause(ctx, ERR_SHOWN_MS))) return false;
    ev('Normal', 'BackOff', `Back-off pulling image "${image}"`);
    ev('Warning', 'Failed', 'Error: ImagePullBackOff');
    setWaiting(ctx, rec, 'ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${r.message}`);
    if (!(await pause(ctx, backoff))) return false;
  }
}
