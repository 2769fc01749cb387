/**
 * Test-only builders that turn the compact YAML fixtures of this folder into full TaskRun and Pod objects.
 * Kept out of the `.test.ts` files so the resolve, status and decide tables share one shape.
 */
import type { Pod, TaskRun, TaskRunSpec, TaskRunStatus } from '../../api/types.js';

/** A TaskRun as the fixtures describe it: only the parts a case cares about. */
export interface TaskRunFixture {
  name?: string;
  annotations?: Record<string, string>;
  spec?: TaskRunSpec;
  status?: TaskRunStatus;
}

/** A Pod as the fixtures describe it: container names (steps then sidecars), images, and its status. */
export interface PodFixture {
  name?: string;
  containers: string[];
  images?: Record<string, string>;
  annotations?: Record<string, string>;
  status?: Pod['status'];
}

/** Builds the TaskRun `tr` in namespace `default` with uid `uid-1` unless the fixture says otherwise. */
export function taskRunFrom(f: TaskRunFixture | undefined): TaskRun {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: f?.name ?? 'tr', namespace: 'default', uid: 'uid-1', ...(f?.annotations ? { annotations: f.annotations } : {}) },
    spec: f?.spec ?? {},
    ...(f?.status ? { status: f.status } : {}),
  };
}

/** Builds the pod `tr-pod` (or the fixture's name) with one container per listed name. */
export function podFrom(f: PodFixture): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: f.name ?? 'tr-pod', namespace: 'default', ...(f.annotations ? { annotations: f.annotations } : {}) },
    spec: { containers: f.containers.map((name) => ({ name, image: f.images?.[name] ?? `image-of-${name}` })) },
    ...(f.status ? { status: f.status } : {}),
  };
}
