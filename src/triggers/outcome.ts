/**
 * What happened to each trigger of an event, and the HTTP status the sink answers with. Triggers are independent:
 * 202 when at least one trigger created its objects, or when none failed (all skipped by interceptors or unable to
 * bind this payload); an error status only when every trigger that got as far as creating or failing failed —
 * then nothing of the event is kept, so a redelivery is safe.
 */

/** A created object, as reported to the caller. */
export interface CreatedRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Per-trigger status. `error` is a failure on tektite's side (references, rendering, interceptor, create). */
export type OutcomeStatus = 'created' | 'skipped' | 'failed' | 'error';

/** The result of one trigger (or of a trigger group whose interceptors stopped it). */
export interface TriggerOutcome {
  trigger: string;
  namespace: string;
  group?: string;
  status: OutcomeStatus;
  /** Created, InterceptorRejected, BindingFailed, NotFound, RenderFailed, InterceptorFailed, CreateFailed. */
  reason: string;
  message?: string;
  interceptor?: string;
  /** gRPC code of an interceptor rejection. */
  code?: number;
  created?: CreatedRef[];
  /** HTTP status this outcome calls for (5xx for `error`). */
  httpStatus?: number;
}

/** The HTTP status for a set of outcomes: 202 if anything was created or nothing erred, else the first error's. */
export function httpStatusOf(outcomes: readonly TriggerOutcome[]): number {
  if (outcomes.some((o) => o.status === 'created')) return 202;
  const err = outcomes.find((o) => o.status === 'error');
  return err ? (err.httpStatus ?? 500) : 202;
}

/** One-line description of an outcome (Kubernetes Event message, logs). */
export function describeOutcome(o: TriggerOutcome): string {
  const who = o.group ? `trigger group ${o.group}${o.trigger && o.trigger !== o.group ? ` / trigger ${o.trigger}` : ''}` : `trigger ${o.trigger || '(unnamed)'}`;
  switch (o.status) {
    case 'created': return `${who} created ${(o.created ?? []).map((c) => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`).join(', ')}`;
    case 'skipped': return `${who} skipped: interceptor ${o.interceptor ?? ''} said no: ${o.message ?? ''}`;
    case 'failed': return `${who} failed: ${o.message ?? ''}`;
    case 'error': return `${who} error (${o.reason}): ${o.message ?? ''}`;
  }
}
