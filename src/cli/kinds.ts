/** The kinds the CLI reads and writes, as client references. */
import type { KindRef } from '../kube/client.js';

/** Kind references used by the CLI. */
export const KIND = {
  PipelineRun: { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' },
  TaskRun: { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' },
  Pipeline: { apiVersion: 'tekton.dev/v1', kind: 'Pipeline' },
  Task: { apiVersion: 'tekton.dev/v1', kind: 'Task' },
  Pod: { apiVersion: 'v1', kind: 'Pod' },
  EventListener: { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' },
} as const satisfies Record<string, KindRef>;
