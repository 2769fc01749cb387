import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Step, StepTemplate } from '../../api/types.js';
import { mergeStepTemplate } from './step-template.js';

const { template, steps } = parse(`
template:
  image: base
  args: [--from-template]
  env: [{name: A, value: a}, {name: B, value: b}]
  volumeMounts: [{name: m, mountPath: /m}]
steps:
  - {name: one, env: [{name: B, value: override}, {name: Z, value: z}], args: []}
  - {name: two, volumeMounts: [{name: x, mountPath: /x}], script: echo}
`) as { template: StepTemplate; steps: Step[] };

describe('mergeStepTemplate', () => {
  it('merges like a strategic merge patch and keeps step-only fields', () => {
    const [one, two] = mergeStepTemplate(template, steps);
    expect(one).toEqual({ name: 'one', image: 'base', args: [], env: [{ name: 'A', value: 'a' }, { name: 'B', value: 'override' }, { name: 'Z', value: 'z' }], volumeMounts: [{ name: 'm', mountPath: '/m' }] });
    expect(two).toEqual({ name: 'two', image: 'base', args: ['--from-template'], env: template.env, script: 'echo', volumeMounts: [{ name: 'm', mountPath: '/m' }, { name: 'x', mountPath: '/x' }] });
  });

  it('is idempotent, so a second merge by the pod builder changes nothing', () => {
    const once = mergeStepTemplate(template, steps);
    expect(mergeStepTemplate(template, once)).toEqual(once);
  });

  it('does not change its inputs and copies steps when there is no template', () => {
    const frozen = JSON.stringify({ template, steps });
    const out = mergeStepTemplate(undefined, steps);
    mergeStepTemplate(template, steps);
    expect(JSON.stringify({ template, steps })).toBe(frozen);
    expect(out).toEqual(steps);
    expect(out[0]).not.toBe(steps[0]);
  });
});
