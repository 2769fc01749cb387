/**
 * Tekton's ConfigMaps other than `feature-flags` (see feature-flags.ts), key by key: what each honoured key sets in
 * the controllers' configuration, and for every other key a clear reason it is refused. Keys starting with `_`
 * (Tekton ships `_example`) are comments. Pure.
 */
import { parse as parseYaml } from 'yaml';
import type { ControllerConfig } from '../controller/config.js';
import type { PodTemplate } from '../api/types.js';

/** What one key of one ConfigMap gives: settings, or a problem (the previous value of the key is then kept). */
export type KeyOutcome = { set: Partial<ControllerConfig> } | { problem: string };

type KeyParser = (value: string) => KeyOutcome;

const ok = (set: Partial<ControllerConfig>): KeyOutcome => ({ set });
const bad = (problem: string): KeyOutcome => ({ problem });

/** A key tektite does not act on: fine when empty or `accept`, refused otherwise with `why`. */
const unsupported = (why: string, accept: string[] = []): KeyParser => (v) => (v === '' || accept.includes(v) ? ok({}) : bad(`"${v}" is not supported by tektite (${why})`));

const wholeNumber = (key: string, field: 'defaultTimeoutMinutes' | 'maxMatrixCombinations', min: number): KeyParser => (v) => {
  const n = Number(v);
  return v !== '' && Number.isInteger(n) && n >= min ? ok({ [field]: n }) : bad(`must be a whole number ≥ ${min}, got "${v}"`);
};

const yamlObject = (v: string): Record<string, unknown> | undefined => {
  try {
    const o: unknown = parseYaml(v);
    return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Go durations as Knative's leader election reads them (e.g. 15s, 1m). */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

const CONFIG_DEFAULTS: Record<string, KeyParser> = {
  'default-timeout-minutes': wholeNumber('default-timeout-minutes', 'defaultTimeoutMinutes', 0),
  'default-service-account': (v) => (v ? ok({ defaultServiceAccount: v }) : bad('must not be empty')),
  'default-managed-by-label-value': (v) => (v ? ok({ managedByLabel: v }) : bad('must not be empty')),
  'default-max-matrix-combinations-count': wholeNumber('default-max-matrix-combinations-count', 'maxMatrixCombinations', 1),
  'default-pod-template': (v) => {
    if (v.trim() === '') return ok({ defaultPodTemplate: undefined });
    const o = yamlObject(v);
    return o ? ok({ defaultPodTemplate: o as PodTemplate }) : bad('must be a pod template as a YAML mapping (e.g. "nodeSelector: {disk: ssd}")');
  },
  'default-affinity-assistant-pod-template': unsupported('there is no affinity assistant: embedded mode has one node'),
  'default-cloud-events-sink': unsupported('CloudEvents are not sent; Kubernetes Events are written instead'),
  'default-task-run-workspace-binding': unsupported('a default binding for undeclared TaskRun workspaces is not implemented'),
  'default-forbidden-env': unsupported('forbidding podTemplate env variables is not implemented'),
  'default-resolver-type': unsupported('a default resolver for refs without `resolver` is not implemented'),
  'default-container-resource-requirements': unsupported('default resource requirements per container are not implemented'),
  'default-imagepullbackoff-timeout': unsupported('image pull failures fail the TaskRun at once (a grace period is not implemented)', ['0', '0s']),
  'default-maximum-resolution-timeout': unsupported('the resolution timeout is fixed at 1m', ['1m', '1m0s', '60s']),
  'default-sidecar-log-polling-interval': unsupported('the results sidecar is not polled (its log is read once the steps end)', ['100ms']),
  'default-step-ref-concurrency-limit': unsupported('StepAction refs are resolved one TaskRun at a time'),
};

const CONFIG_EVENTS: Record<string, KeyParser> = {
  sink: unsupported('sending CloudEvents is not implemented; run status changes are written as Kubernetes Events (`kubectl get events`)'),
  formats: unsupported('only Tekton\'s default format applies', ['tektonv1']),
};

const duration = (field: 'leaseDurationSeconds' | 'renewDeadlineMs' | 'retryPeriodMs'): KeyParser => (v) => {
  if (!GO_DURATION.test(v)) return bad(`must be a Go duration such as 15s, got "${v}"`);
  const ms = goDurationMs(v);
  return ok({ leaderElection: { [field]: field === 'leaseDurationSeconds' ? Math.ceil(ms / 1000) : ms } });
};

const CONFIG_LEADER_ELECTION: Record<string, KeyParser> = {
  'lease-duration': duration('leaseDurationSeconds'),
  'renew-deadline': duration('renewDeadlineMs'),
  'retry-period': duration('retryPeriodMs'),
  buckets: unsupported('one controller holds the whole key space (one bucket)', ['1']),
};

const CONFIG_OBSERVABILITY: Record<string, KeyParser> = {
  'metrics.backend-destination': unsupported('metrics are served for Prometheus only', ['prometheus']),
  'metrics.taskrun.level': unsupported('TaskRun metrics are labelled by task (Tekton\'s default)', ['task']),
  'metrics.taskrun.duration-type': unsupported('durations are histograms', ['histogram']),
  'metrics.pipelinerun.level': unsupported('PipelineRun metrics are labelled by pipeline (Tekton\'s default)', ['pipeline']),
  'metrics.pipelinerun.duration-type': unsupported('durations are histograms', ['histogram']),
  'metrics.count.enable-reason': unsupported('counts are labelled by status only', ['false']),
  'metrics.running-pipelinerun.level': unsupported('the running-PipelineRuns gauge has no labels', ['']),
  'metrics.allow-stackdriver-custom-metrics': unsupported('there is no Stackdriver exporter', ['false']),
  'metrics.opencensus-address': unsupported('there is no OpenCensus exporter'),
  'metrics.request-metrics-backend-destination': unsupported('request metrics are not exported'),
  'profiling.enable': unsupported('the profiling endpoint is not served', ['false']),
};

const CONFIG_SPIRE: Record<string, KeyParser> = {
  'spire-trust-domain': unsupported('SPIRE is not supported (enforce-nonfalsifiability "spire" is refused)', ['example.org']),
  'spire-socket-path': unsupported('SPIRE is not supported', ['unix:///spiffe-workload-api/spire-agent.sock']),
  'spire-server-addr': unsupported('SPIRE is not supported', ['spire-server.spire.svc.cluster.local:8081']),
  'spire-node-alias-prefix': unsupported('SPIRE is not supported', ['/tekton-node/']),
};

/** The ConfigMaps read (besides feature-flags), with their key parsers. */
export const CONFIG_MAP_KEYS: Record<string, Record<string, KeyParser>> = {
  'config-defaults': CONFIG_DEFAULTS,
  'config-events': CONFIG_EVENTS,
  'config-leader-election': CONFIG_LEADER_ELECTION,
  'config-leader-election-controller': CONFIG_LEADER_ELECTION,
  'config-observability': CONFIG_OBSERVABILITY,
  'config-spire': CONFIG_SPIRE,
};

/** Every key of one ConfigMap's data: its outcome (comment keys starting with `_` are skipped). */
export function parseConfigMapKeys(name: string, data: Record<string, string> = {}): Array<{ key: string; outcome: KeyOutcome }> {
  const parsers = CONFIG_MAP_KEYS[name] ?? {};
  return Object.entries(data).filter(([key]) => !key.startsWith('_')).map(([key, raw]) => {
    const parse = parsers[key];
    const value = String(raw).trim();
    if (!parse) return { key, outcome: bad(`unknown key (ignored); tektite reads ${Object.keys(parsers).join(', ')}`) };
    return { key, outcome: parse(value) };
  });
}

/** Milliseconds of a Go duration (checked against GO_DURATION first). */
export function goDurationMs(v: string): number {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * (unit[m[2] ?? 's'] ?? 0);
  return ms;
}
