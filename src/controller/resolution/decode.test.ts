import { describe, expect, it } from 'vitest';
import { decodeResolved } from './decode.js';

const TASK = 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  params: [{name: p, default: x}]\n  steps: [{name: s, image: busybox, script: echo}]\n';

describe('decodeResolved', () => {
  it('answers the defaulted object of the expected kind', () => {
    const t = decodeResolved(TASK, 'task') as { spec: { params: Array<{ type?: string }> } };
    expect(t.spec.params[0]?.type).toBe('string');
  });

  it('accepts JSON and tekton.dev/v1beta1', () => {
    expect(decodeResolved(JSON.stringify({ apiVersion: 'tekton.dev/v1beta1', kind: 'Task', metadata: { name: 'j' }, spec: { steps: [{ image: 'x', script: 'y' }] } }), 'task').metadata.name).toBe('j');
  });

  it('answers a v1beta1 Task as its v1 conversion (step resources -> computeResources)', () => {
    const text = 'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: b}\nspec:\n  steps: [{name: s, image: x, script: y, resources: {limits: {cpu: "1"}}}]\n';
    const t = decodeResolved(text, 'task') as { apiVersion: string; spec: { steps: Array<Record<string, unknown>> } };
    expect(t.apiVersion).toBe('tekton.dev/v1');
    expect(t.spec.steps[0]?.computeResources).toEqual({ limits: { cpu: '1' } });
    expect(t.spec.steps[0]).not.toHaveProperty('resources');
  });

  it('refuses a remote v1beta1 Task with PipelineResources', () => {
    const text = 'apiVersion: tekton.dev/v1beta1\nkind: Task\nmetadata: {name: b}\nspec:\n  resources: {inputs: [{name: src, type: git}]}\n  steps: [{name: s, image: x, script: y}]\n';
    expect(() => decodeResolved(text, 'task')).toThrow(/spec.resources: must not set the field/);
  });

  it('refuses another kind, several documents, invalid YAML and invalid specs', () => {
    expect(() => decodeResolved(TASK, 'pipeline')).toThrow(/expected a tekton.dev Pipeline/);
    expect(() => decodeResolved(`${TASK}---\n${TASK}`, 'task')).toThrow(/2 YAML documents/);
    expect(() => decodeResolved('kind: [', 'task')).toThrow(/not valid YAML|YAML documents/);
    expect(() => decodeResolved('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'task')).toThrow(/v1 ConfigMap/);
    expect(() => decodeResolved('apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec: {steps: []}\n', 'task')).toThrow(/invalid/);
  });
});
