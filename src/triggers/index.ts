/**
 * Tekton Triggers for tektite: EventListener sinks that turn webhooks into runs. Entry points:
 * {@link startEventListenerSink} (one EventListener, `tkt eventlistener`) and {@link startEventListenerManager}
 * (embedded mode: every EventListener of the cluster). The pure parts (binding resolution, template rendering,
 * trigger selection) and the sink's request handler are exported for tools and tests.
 */
export { startEventListenerSink, listenSink, type EventListenerSinkOptions, type RunningSink, type SinkTuning } from './server.js';
export { startEventListenerManager, servedStatus, type EventListenerManager, type EventListenerManagerOptions } from './manager.js';
export { createSinkApp, DEFAULT_MAX_BODY_BYTES, PAYLOAD_VALIDATION, type SinkAppOptions, type SinkLogger } from './sink.js';
export { lineLogger, logLine, SINK_CONTAINER } from './log-lines.js';
export { processEvent, type EventResult, type IncomingEvent, type ProcessDeps } from './process.js';
export { httpStatusOf, describeOutcome, type TriggerOutcome, type OutcomeStatus, type CreatedRef } from './outcome.js';
export { selectTriggers, type Selection, type SelectedTrigger, type SelectedGroup } from './select.js';
export { resolveParams, mergeBindingParams, type ParamsResult } from './bindings.js';
export { renderTemplate, withTriggerLabels, LABEL_EVENTLISTENER, LABEL_TRIGGER, LABEL_EVENT_ID, type RenderResult } from './template.js';
export { applyEventValues, bindingEvent, canonicalHeaderKey, canonicalHeaders, type BindingEvent } from './event.js';
export { memoryLookup, clientLookup, cachedLookup, matchesSelector, type TriggerLookup, type LookupKind, type CachedLookup } from './lookup.js';
export { outcomeRecorder, type OutcomeRecorder } from './k8s-events.js';
export type { InterceptorRequest, InterceptorResponse } from './interceptors/protocol.js';
