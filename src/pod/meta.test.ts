import { describe, expect, it } from 'vitest';
import { mergePodTemplate } from './meta.js';

describe('mergePodTemplate (default-pod-template)', () => {
  it('the TaskRun\'s fields win; env and volumes merge by name', () => {
    const defaults = { nodeSelector: { disk: 'ssd' }, env: [{ name: 'A', value: '1' }, { name: 'B', value: '1' }], volumes: [{ name: 'v', emptyDir: {} }] };
    const own = { nodeSelector: { disk: 'hdd' }, env: [{ name: 'B', value: '2' }] };
    expect(mergePodTemplate(defaults, own)).toEqual({
      nodeSelector: { disk: 'hdd' }, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], volumes: [{ name: 'v', emptyDir: {} }],
    });
    expect(mergePodTemplate(undefined, own)).toBe(own);
    expect(mergePodTemplate(defaults, undefined)).toEqual(defaults);
  });
});
