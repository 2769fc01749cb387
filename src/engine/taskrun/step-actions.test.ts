import { describe, expect, it } from 'vitest';
import type { StepActionSpec } from '../../api/types.js';
import { applyStepActions } from './step-actions.js';

describe('applyStepActions with step results as array/object params', () => {
  it('points [*], [i] and .key of the StepAction params at the step result', () => {
    const sa: StepActionSpec = {
      image: 'bash',
      params: [{ name: 'arr', type: 'array' }, { name: 'obj', type: 'object', properties: { url: { type: 'string' } } }],
      args: ['$(params.arr[*])', '$(params.arr[0])', '$(params.obj.url)'],
    };
    const out = applyStepActions(
      [{ name: 'use', ref: { name: 'sa' }, params: [{ name: 'arr', value: '$(steps.make.results.a[*])' }, { name: 'obj', value: '$(steps.make.results.o[*])' }] }],
      new Map([['sa', sa]]), { strings: new Map(), arrays: new Map(), objects: new Map() },
    );
    expect(out.ok && out.steps[0]?.args).toEqual(['$(steps.make.results.a[*])', '$(steps.make.results.a[0])', '$(steps.make.results.o.url)']);
  });
});
