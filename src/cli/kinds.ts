/** The kinds the CLI reads and writes, as client references. */
import { REF } from '../api/registry.js';
import type { KindRef } from '../kube/client.js';

/** Kind references used by the CLI. */
export const KIND = {
  PipelineRun: REF.PipelineRun,
  TaskRun: REF.TaskRun,
  CustomRun: REF.CustomRun,
  Pipeline: REF.Pipeline,
  Task: REF.Task,
  Pod: REF.Pod,
  EventListener: REF.EventListener,
  TriggerTemplate: REF.TriggerTemplate,
  TriggerBinding: REF.TriggerBinding,
  ClusterTriggerBinding: REF.ClusterTriggerBinding,
} as const satisfies Record<string, KindRef>;
