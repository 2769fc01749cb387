import { describe, expect, it } from 'vitest';
import type { PipelineRun } from '../api/types.js';
import { pipelineNameLabel, pipelineRunMetadata, provenance, taskRunMetadata } from './run-metadata.js';

const pr = (metadata: PipelineRun['metadata'], spec: PipelineRun['spec']): PipelineRun => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata, spec });

describe('tekton.dev/pipeline on PipelineRuns (propagatePipelineNameLabelToPipelineRun)', () => {
  it('pipelineRef name, embedded spec (generateName shortened, else the name), resolver refs', () => {
    expect(pipelineNameLabel(pr({ name: 'r' }, { pipelineRef: { name: 'build' } }))).toBe('build');
    expect(pipelineNameLabel(pr({ name: 'r' }, { pipelineSpec: { tasks: [] } }))).toBe('r');
    expect(pipelineNameLabel(pr({ name: 'nightly-x1', generateName: 'nightly-' }, { pipelineSpec: { tasks: [] } }))).toBe('nightly');
    expect(pipelineNameLabel(pr({ name: 'r' }, { pipelineRef: { resolver: 'git', params: [] } }))).toBe('r');
    expect(pipelineNameLabel(pr({ name: 'r' }, { pipelineRef: { resolver: 'cluster', params: [{ name: 'kind', value: 'pipeline' }, { name: 'name', value: 'p' }] } }))).toBe('p');
    expect(pipelineNameLabel(pr({ name: 'r', labels: { 'tekton.dev/pipeline': 'mine' } }, { pipelineRef: { name: 'build' } }))).toBeUndefined();
  });

  it('merges the Pipeline\'s labels and annotations under the run\'s own, without last-applied-configuration', () => {
    const out = pipelineRunMetadata(pr({ name: 'r', labels: { a: 'run' } }, { pipelineRef: { name: 'build' } }), {
      name: 'build', labels: { a: 'pipeline', b: 'pipeline' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', n: 'x' },
    });
    expect(out).toEqual({ labels: { a: 'run', b: 'pipeline', 'tekton.dev/pipeline': 'build' }, annotations: { n: 'x' } });
  });
});

describe('TaskRun metadata (storeTaskSpecAndMergeMeta)', () => {
  it('tekton.dev/task only with a taskRef; managed-by defaulted, the run\'s own kept', () => {
    expect(taskRunMetadata({ name: 'tr' }, { name: 'greet', labels: { t: '1' } }, true, 'tekton-pipelines').labels).toEqual({ t: '1', 'tekton.dev/task': 'greet', 'app.kubernetes.io/managed-by': 'tekton-pipelines' });
    expect(taskRunMetadata({ name: 'tr', labels: { 'app.kubernetes.io/managed-by': 'me' } }, { name: 'tr' }, false, 'tekton-pipelines').labels).toEqual({ 'app.kubernetes.io/managed-by': 'me' });
  });
});

describe('status.provenance', () => {
  it('records the feature flags and keeps the first refSource', () => {
    const first = provenance(undefined, { enableAPIFields: 'beta' }, { uri: 'git+https://x', digest: { sha1: 'abc' }, entryPoint: 'task.yaml' });
    expect(first).toEqual({ featureFlags: { enableAPIFields: 'beta' }, refSource: { uri: 'git+https://x', digest: { sha1: 'abc' }, entryPoint: 'task.yaml' } });
    expect(provenance(first, { enableAPIFields: 'alpha' }, { uri: 'other' })).toEqual({ ...first, featureFlags: { enableAPIFields: 'alpha' } });
    expect(provenance(undefined, {}, undefined)).toEqual({ featureFlags: {} });
  });
});
