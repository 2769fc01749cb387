import { describe, expect, it } from 'vitest';
import type { TaskRun, TaskSpec } from '../api/types.js';
import { buildPod, type BuildPodConfig } from './build.js';
import { builtinImageEntrypoints } from './image-entrypoints.js';

const taskRun: TaskRun = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr', namespace: 'ns', uid: 'u' }, spec: {} };
const config = (resultsFrom: BuildPodConfig['resultsFrom']): BuildPodConfig => ({
  entrypointImage: 'helper:1', awaitSidecarReadiness: true, managedBy: 'tekton-pipelines', imageEntrypoint: builtinImageEntrypoints, resultsFrom,
});
const spec: TaskSpec = {
  results: [{ name: 'big' }],
  steps: [{ name: 'a', image: 'bash', script: 'true', results: [{ name: 's' }] }, { name: 'b', image: 'bash', script: 'true' }],
};

describe('results-from: sidecar-logs in the pod', () => {
  it('adds the results sidecar and -result_from on every step', () => {
    const out = buildPod({ taskRun, spec, podName: 'tr-pod', config: config('sidecar-logs') });
    if (!out.ok) throw new Error(out.message);
    const names = out.pod.spec.containers.map((c) => c.name);
    expect(names).toEqual(['step-a', 'step-b', 'sidecar-tekton-log-results']);
    const sidecar = out.pod.spec.containers[2];
    expect(sidecar?.image).toBe('helper:1');
    expect(sidecar?.command).toEqual(['/tektite/entrypoint', 'sidecar-log-results', '-results-dir', '/tekton/results', '-result-names', 'big', '-step-results', '{"step-a":["s"]}']);
    expect(sidecar?.volumeMounts?.filter((m) => m.mountPath.startsWith('/tekton/run/')).every((m) => m.readOnly)).toBe(true);
    for (const c of out.pod.spec.containers.slice(0, 2)) expect(c.args?.join(' ')).toContain('-result_from sidecar-logs');
    // the first step waits for the sidecars (the results sidecar among them)
    expect(out.pod.spec.containers[0]?.args).toContain('/tekton/downward/ready');
  });

  it('adds nothing with termination-message, or when the task declares no results', () => {
    for (const [s, from] of [[spec, 'termination-message'], [{ steps: spec.steps }, 'sidecar-logs']] as const) {
      const out = buildPod({ taskRun, spec: s, podName: 'tr-pod', config: config(from) });
      if (!out.ok) throw new Error(out.message);
      expect(out.pod.spec.containers.map((c) => c.name)).toEqual(['step-a', 'step-b']);
      expect(out.pod.spec.containers[0]?.args).not.toContain('-result_from');
    }
  });
});
