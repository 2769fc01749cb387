/**
 * The pure PipelineRun engine: `planPipelineRun(facts) → plan` (docs/internals.md, "PipelineRun side"), plus
 * the reason strings and helpers other modules (CLI, tests) may want.
 */
export { planPipelineRun, isManagedByTektite } from './plan.js';
export type { PipelineRunFacts, PipelineRunPlan, PlanAction, PlanConfig, TaskEntry } from './types.js';
export { PipelineRunReason, SkipReason, CANCELLED_MESSAGE, TIMEOUT_MESSAGE, ON_ERROR_ANNOTATION } from './reasons.js';
export { fanOut } from './matrix.js';
export { newPlanMemo, type PlanMemo } from './memo.js';
