/** The pod status the kubelet reports, kept as a small model and rendered to a core/v1 PodStatus. */
import type { Condition, Container, ContainerState, ContainerStatus, PodStatus } from '../../api/types.js';

/** Kubernetes time format (RFC 3339, seconds). */
export function kubeTime(d: Date = new Date()): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/** What the kubelet knows about one container. */
export interface ContainerRecord {
  name: string;
  image: string;
  init: boolean;
  state: ContainerState;
  containerID?: string;
  imageID?: string;
  ready: boolean;
  started: boolean;
}

type Phase = NonNullable<PodStatus['phase']>;

/** Status of one pod on this node. */
export class PodStatusModel {
  readonly init: ContainerRecord[];
  readonly main: ContainerRecord[];
  readonly startTime: string;
  initDone: boolean;
  /**
   * Set when the pod fails for a pod-level reason (deadline, init failure, unsupported volume). The phase turns
   * Failed once no container is running any more, so the final status always has the containers' end states.
   */
  failure?: { reason?: string; message: string };
  private readonly transitions = new Map<string, { status: string; time: string }>();

  constructor(spec: { initContainers?: Container[]; containers: Container[] }, now = new Date()) {
    const rec = (c: Container, init: boolean, reason: string): ContainerRecord => ({
      name: c.name, image: c.image ?? '', init, state: { waiting: { reason } }, ready: false, started: false,
    });
    this.init = (spec.initContainers ?? []).map((c) => rec(c, true, 'PodInitializing'));
    const mainReason = this.init.length ? 'PodInitializing' : 'ContainerCreating';
    this.main = spec.containers.map((c) => rec(c, false, mainReason));
    this.initDone = this.init.length === 0;
    this.startTime = kubeTime(now);
  }

  /** The record of a container by name (init or main). */
  record(name: string, init: boolean): ContainerRecord | undefined {
    return (init ? this.init : this.main).find((r) => r.name === name);
  }

  /** The pod phase (restartPolicy Never semantics). */
  phase(): Phase {
    const running = [...this.init, ...this.main].some((r) => r.state.running);
    if (this.failure && !running) return 'Failed';
    const done = this.main.every((r) => r.state.terminated);
    if (done) return this.main.every((r) => r.state.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
    if (this.initDone && this.main.some((r) => r.state.running || r.state.terminated)) return 'Running';
    return 'Pending';
  }

  /** True once the phase is Succeeded or Failed. */
  finished(): boolean {
    const p = this.phase();
    return p === 'Succeeded' || p === 'Failed';
  }

  private condition(type: string, ok: boolean, reason?: string, message?: string): Condition {
    const status = ok ? 'True' : 'False';
    const prev = this.transitions.get(type);
    const time = prev && prev.status === status ? prev.time : kubeTime();
    this.transitions.set(type, { status, time });
    const c: Condition = { type, status, lastTransitionTime: time };
    if (!ok && reason) c.reason = reason;
    if (!ok && message) c.message = message;
    return c;
  }

  private conditions(): Condition[] {
    const finished = this.finished();
    const notInit = this.init.filter((r) => r.state.terminated?.exitCode !== 0).map((r) => r.name);
    const unready = this.main.filter((r) => !r.ready).map((r) => r.name);
    const ready = !finished && unready.length === 0;
    const why = finished ? 'PodCompleted' : 'ContainersNotReady';
    const msg = finished ? undefined : `containers with unready status: [${unready.join(' ')}]`;
    return [
      this.condition('Initialized', this.initDone, 'ContainersNotInitialized', `containers with incomplete status: [${notInit.join(' ')}]`),
      this.condition('Ready', ready, why, msg),
      this.condition('ContainersReady', ready, why, msg),
      this.condition('PodScheduled', true),
    ];
  }

  /** The whole PodStatus to write. */
  render(): PodStatus {
    const s: PodStatus = {
      phase: this.phase(),
      conditions: this.conditions(),
      hostIP: '127.0.0.1',
      podIP: '127.0.0.1',
      startTime: this.startTime,
      containerStatuses: this.main.map(renderContainer),
    };
    (s as Record<string, unknown>).hostIPs = [{ ip: '127.0.0.1' }];
    (s as Record<string, unknown>).podIPs = [{ ip: '127.0.0.1' }];
    if (this.init.length) s.initContainerStatuses = this.init.map(renderContainer);
    if (this.failure && s.phase === 'Failed') {
      if (this.failure.reason) s.reason = this.failure.reason;
      s.message = this.failure.message;
    }
    return s;
  }
}

function renderContainer(r: ContainerRecord): ContainerStatus {
  const cs: ContainerStatus = {
    name: r.name,
    image: r.image,
    imageID: r.imageID ?? '',
    ready: r.ready,
    started: r.started,
    restartCount: 0,
    state: r.state,
  };
  if (r.containerID) cs.containerID = r.containerID;
  return cs;
}
