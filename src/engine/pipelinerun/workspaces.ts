/**
 * Workspaces: checks that the run binds every non-optional Pipeline workspace, maps a pipeline task's
 * workspaces onto the run's bindings (sub-paths joined), and turns `volumeClaimTemplate` bindings into one PVC
 * per run, owned by the PipelineRun, that every TaskRun mounts by claim name.
 */
import { posix } from 'node:path';
import type {
  OwnerReference, PersistentVolumeClaim, PipelineRun, PipelineSpec, PipelineTask, WorkspaceBinding,
} from '../../api/types.js';
import { claimNameForTemplate } from '../names.js';
import { type Replacements, findReferences, replaceDeep, replaceString } from '../substitution/replace.js';
import { type Failure, walkStrings } from './params.js';
import { PipelineRunReason } from './reasons.js';

/** Tekton's ValidateWorkspaceBindings. */
export function checkWorkspaceBindings(spec: PipelineSpec, pr: PipelineRun): Failure | undefined {
  const bound = new Set((pr.spec.workspaces ?? []).map((w) => w.name));
  const missing = (spec.workspaces ?? []).find((w) => !w.optional && !bound.has(w.name));
  if (!missing) return undefined;
  return {
    reason: PipelineRunReason.InvalidWorkspaceBindings,
    message: `PipelineRun ${pr.metadata.namespace ?? 'default'}/${pr.metadata.name ?? ''} doesn't bind Pipeline's Workspaces correctly: pipeline requires workspace with name "${missing.name}" be provided by pipelinerun`,
  };
}

/** The controller reference to the PipelineRun, put on every child. */
export function ownerRefTo(pr: PipelineRun): OwnerReference {
  return {
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: pr.metadata.name ?? '', uid: pr.metadata.uid ?? '',
    controller: true, blockOwnerDeletion: true,
  };
}

function claimName(pr: PipelineRun, b: WorkspaceBinding): string {
  return claimNameForTemplate(b.name, pr.metadata.uid ?? '', b.volumeClaimTemplate?.metadata?.name);
}

/** The PVCs to create for the run's volumeClaimTemplate bindings. */
export function claimsToCreate(pr: PipelineRun): PersistentVolumeClaim[] {
  return (pr.spec.workspaces ?? []).filter((b) => b.volumeClaimTemplate).map((b) => {
    const tmpl = b.volumeClaimTemplate as PersistentVolumeClaim;
    const meta = tmpl.metadata ?? {};
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        ...(meta.labels ? { labels: { ...meta.labels } } : {}),
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        name: claimName(pr, b),
        namespace: pr.metadata.namespace ?? 'default',
        ownerReferences: [ownerRefTo(pr)],
      },
      spec: structuredClone(tmpl.spec ?? {}),
    };
  });
}

function joinSubPath(a: string | undefined, b: string | undefined): string | undefined {
  const parts = [a, b].filter((p): p is string => !!p);
  if (parts.length === 0) return undefined;
  return posix.join(...parts);
}

/**
 * The TaskRun's workspace bindings for a pipeline task: each task workspace gets a copy of the run's binding
 * of the pipeline workspace it names (same name when `workspace` is omitted), with sub-paths joined; optional
 * pipeline workspaces the run does not bind are left out.
 */
export function taskWorkspaces(pr: PipelineRun, pt: PipelineTask, r: Replacements): WorkspaceBinding[] | undefined {
  const byName = new Map((pr.spec.workspaces ?? []).map((b) => [b.name, b]));
  const out: WorkspaceBinding[] = [];
  for (const ws of pt.workspaces ?? []) {
    const run = byName.get(ws.workspace ?? ws.name);
    if (!run) continue;
    const { volumeClaimTemplate: tmpl, subPath: runSub, ...rest } = structuredClone(run);
    const binding: WorkspaceBinding = { ...replaceDeep(rest, r), name: ws.name };
    if (tmpl) binding.persistentVolumeClaim = { claimName: claimName(pr, run) };
    const sub = joinSubPath(runSub === undefined ? undefined : replaceString(runSub, r), ws.subPath === undefined ? undefined : replaceString(ws.subPath, r));
    if (sub !== undefined) binding.subPath = sub;
    out.push(binding);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Tekton's propagated workspaces: workspaces of the run that an inline taskSpec uses (`$(workspaces.X...)`)
 * without the pipeline task binding them. They are bound under the same name (and declared in the spec).
 */
export function propagatedWorkspaces(pr: PipelineRun, pt: PipelineTask): string[] {
  if (!pt.taskSpec) return [];
  const available = new Set((pr.spec.workspaces ?? []).map((b) => b.name));
  const bound = new Set((pt.workspaces ?? []).map((w) => w.name));
  const used = new Set<string>();
  walkStrings(pt.taskSpec, (text) => {
    if (!text.includes('$(workspaces.')) return;
    for (const key of findReferences(text)) {
      const m = /^workspaces\.([^.[\]]+)\./.exec(key);
      if (m && available.has(m[1] as string) && !bound.has(m[1] as string)) used.add(m[1] as string);
    }
  });
  return [...used];
}
