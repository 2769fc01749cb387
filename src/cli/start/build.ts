/**
 * Builds the PipelineRun or TaskRun that `start` (and `tkt run` for a lone Pipeline or Task) creates: named by
 * generateName `<name>-run-` (or `<prefix>-`), referencing the definition, with params, workspaces, service
 * account and timeout.
 */
import type { Param, PipelineRun, TaskRun, WorkspaceBinding } from '../../api/types.js';
import { formatDuration, parseDuration } from '../../engine/durations.js';
import { UsageError } from '../errors.js';

/** Common inputs of a run. */
export interface RunInput {
  /** The Pipeline or Task name. */
  ref: string;
  namespace: string;
  params: Param[];
  workspaces: WorkspaceBinding[];
  serviceAccount?: string;
  timeout?: string;
  prefixName?: string;
  labels?: Record<string, string>;
}

/** Checks a `--timeout` value (Go duration) and answers it as Go prints it (`1h` → `1h0m0s`), as tkn writes it. */
export function checkTimeout(timeout: string | undefined): string | undefined {
  if (timeout === undefined) return undefined;
  const ms = parseDuration(timeout);
  if (Number.isNaN(ms) || ms < 0) throw new UsageError(`invalid --timeout "${timeout}": expected a duration like 90s, 10m or 1h30m`);
  return formatDuration(ms);
}

/** Parses `-l key=value` labels. */
export function parseLabels(flags: string[]): Record<string, string> | undefined {
  if (flags.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.indexOf('=');
    if (i <= 0) throw new UsageError(`invalid label "${f}": expected key=value`);
    out[f.slice(0, i)] = f.slice(i + 1);
  }
  return out;
}

function metadata(input: RunInput): PipelineRun['metadata'] {
  return {
    generateName: input.prefixName ? `${input.prefixName}-` : `${input.ref}-run-`,
    namespace: input.namespace,
    ...(input.labels ? { labels: input.labels } : {}),
  };
}

/** A PipelineRun of a Pipeline. */
export function buildPipelineRun(input: RunInput): PipelineRun {
  const spec: PipelineRun['spec'] = { pipelineRef: { name: input.ref } };
  if (input.params.length > 0) spec.params = input.params;
  if (input.workspaces.length > 0) spec.workspaces = input.workspaces;
  if (input.serviceAccount) spec.taskRunTemplate = { serviceAccountName: input.serviceAccount };
  const timeout = checkTimeout(input.timeout);
  if (timeout) spec.timeouts = { pipeline: timeout };
  return { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: metadata(input), spec };
}

/** A TaskRun of a Task. */
export function buildTaskRun(input: RunInput): TaskRun {
  const spec: TaskRun['spec'] = { taskRef: { name: input.ref, kind: 'Task' } };
  if (input.params.length > 0) spec.params = input.params;
  if (input.workspaces.length > 0) spec.workspaces = input.workspaces;
  if (input.serviceAccount) spec.serviceAccountName = input.serviceAccount;
  const timeout = checkTimeout(input.timeout);
  if (timeout) spec.timeout = timeout;
  return { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: metadata(input), spec };
}
