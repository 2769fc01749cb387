import { describe, expect, it } from 'vitest';
import type { StepState, TaskRun } from '../../api/types.js';
import { applySidecarResults, parseSidecarLogs, resultTooLargeMessage } from './sidecar-logs.js';

describe('results sidecar logs', () => {
  it('parses task and step result lines', () => {
    const text = '{"name":"r","value":"v","type":"task"}\n{"name":"step-a.s","value":"[\\"x\\"]","type":"step"}\n';
    expect(parseSidecarLogs({ text, maxResultSize: 4096 })).toEqual({
      ok: true, entries: [{ key: 'r', value: 'v', type: 1 }, { key: 'step-a.s', value: '["x"]', type: 4 }],
    });
  });

  it('refuses a line over max-result-size with Tekton wording', () => {
    const line = JSON.stringify({ name: 'r', value: 'x'.repeat(100), type: 'task' });
    expect(parseSidecarLogs({ text: line, maxResultSize: 64 })).toEqual({
      ok: false, tooLarge: true, message: `${line.length} bytes results size exceeds configured limit of 64 bytes`,
    });
    const tr = { metadata: { name: 'tr' } } as TaskRun;
    expect(resultTooLargeMessage(tr, 'm')).toBe('[User error]  TaskRun ""tr"" failed: m');
  });

  it('puts step results on their steps, typed by the declarations', () => {
    const steps: StepState[] = [{ name: 'a', container: 'step-a' }];
    const spec = { steps: [{ name: 'a', image: 'x', results: [{ name: 's', type: 'array' as const }] }], results: [{ name: 'r' }] };
    const task = applySidecarResults([{ key: 'r', value: 'v', type: 1 }, { key: 'step-a.s', value: '["x"]', type: 4 }], spec, steps);
    expect(task).toEqual([{ name: 'r', type: 'string', value: 'v' }]);
    expect(steps[0]?.results).toEqual([{ name: 's', type: 'array', value: ['x'] }]);
  });
});
