/**
 * The EventListener status tektite writes on a cluster, as Tekton Triggers: `address.url`,
 * `configuration.generatedName`, and conditions `Deployment` and `Service` (the objects exist), `Available` and
 * `Progressing` (copied from the Deployment's status) and `Ready` (all of these true).
 */
import type { Condition, EventListener, EventListenerStatus } from '../../api/types.js';
import { addressUrl, generatedName, type Deployment, type Service } from './resources.js';

type Cond = Omit<Condition, 'lastTransitionTime'>;

/** Conditions from what exists (pure; no transition times yet). */
export function eventListenerConditions(deployment: Deployment | undefined, service: Service | undefined): Cond[] {
  const out: Cond[] = [];
  const fromDeployment = (type: string): Cond => {
    const c = deployment?.status?.conditions?.find((x) => x.type === type);
    if (!c) return { type, status: 'Unknown', reason: 'DeploymentNotReady', message: 'the Deployment has not reported this condition yet' };
    const status = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
    return { type, status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  };
  const available = fromDeployment('Available');
  out.push(available);
  out.push(deployment
    ? { type: 'Deployment', status: 'True', message: 'Deployment exists' }
    : { type: 'Deployment', status: 'False', reason: 'DeploymentMissing', message: 'Deployment does not exist' });
  out.push(fromDeployment('Progressing'));
  const ready = !!deployment && !!service && available.status === 'True';
  const unready = !deployment || !service || available.status === 'False' ? 'False' : 'Unknown';
  out.push(ready
    ? { type: 'Ready', status: 'True' }
    : { type: 'Ready', status: unready, reason: !deployment ? 'DeploymentMissing' : !service ? 'ServiceMissing' : available.reason ?? 'DeploymentNotReady', message: 'the EventListener sink is not available yet' });
  out.push(service
    ? { type: 'Service', status: 'True', message: 'Service exists' }
    : { type: 'Service', status: 'False', reason: 'ServiceMissing', message: 'Service does not exist' });
  return out;
}

/** The whole status; a condition keeps its lastTransitionTime while its status does not change. */
export function eventListenerStatus(el: EventListener, deployment: Deployment | undefined, service: Service | undefined, now: Date): EventListenerStatus {
  const previous = new Map((el.status?.conditions ?? []).map((c) => [c.type, c]));
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions = eventListenerConditions(deployment, service).map((c): Condition => {
    const old = previous.get(c.type);
    return { ...c, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : stamp };
  });
  return {
    ...(el.status ?? {}),
    conditions,
    address: { url: addressUrl(el) },
    configuration: { generatedName: generatedName(el) },
    ...(el.metadata.generation !== undefined ? { observedGeneration: el.metadata.generation } : {}),
  };
}
