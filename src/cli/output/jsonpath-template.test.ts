import { describe, expect, it } from 'vitest';
import { compileJsonPathTemplate } from './jsonpath-template.js';

const list = {
  kind: 'PipelineRunList',
  items: [
    { metadata: { name: 'a', labels: { 'tekton.dev/pipeline': 'build' } }, status: { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] } },
    { metadata: { name: 'b' }, status: { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] } },
  ],
};

describe('kubectl jsonpath templates', () => {
  it.each([
    ['{.kind}', 'PipelineRunList'],
    ['{.items[*].metadata.name}', 'a b'],
    ['{.items[0].metadata.name}', 'a'],
    ['{range .items[*]}{.metadata.name}{"\\t"}{.status.conditions[?(@.type=="Succeeded")].reason}{"\\n"}{end}', 'a\tSucceeded\nb\tFailed\n'],
    ["{.items[0].metadata.labels['tekton.dev/pipeline']}", 'build'],
    ['name: {.items[1].metadata.name}!', 'name: b!'],
    ['{.items[1].metadata.labels}', ''],
    ['{.items[0].metadata.labels}', '{"tekton.dev/pipeline":"build"}'],
    ['{range .items[*]}[{@.metadata.name}]{end}', '[a][b]'],
  ])('%s', (template, out) => {
    expect(compileJsonPathTemplate(template)(list)).toBe(out);
  });

  it.each([['{range .items[*]}{.x}', '{range} without {end}'], ['{.a', 'unclosed action'], ['{end}', '{end} without {range}']])('refuses %s', (template, message) => {
    expect(() => compileJsonPathTemplate(template)).toThrow(message);
  });
});
