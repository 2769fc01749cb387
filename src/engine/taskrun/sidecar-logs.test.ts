import { describe, expect, it } from 'vitest';
import type { StepState, TaskRun } from '../../api/types.js';
import { getSucceeded } from '../conditions.js';
import { decideTaskRun } from './decide.js';
import { podFrom, taskRunFrom } from './fixture-objects.js';
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

describe('decideTaskRun with the results sidecar', () => {
  const now = new Date('2024-01-01T01:00:00Z');
  const spec = { results: [{ name: 'r' }], steps: [{ name: 'a', image: 'x' }] };
  const taskRun = taskRunFrom({ status: { startTime: '2024-01-01T00:59:00Z', podName: 'tr-pod', conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running', message: '' }] } });
  const term = { terminated: { exitCode: 0, reason: 'Completed', message: '[{"key":"StartedAt","value":"2024-01-01T00:59:01.000Z","type":3}]' } };
  const pod = (sidecar: object) => podFrom({
    containers: ['step-a', 'sidecar-tekton-log-results'],
    status: { phase: 'Running', containerStatuses: [
      { name: 'step-a', state: term, ready: false, restartCount: 0 },
      { name: 'sidecar-tekton-log-results', state: sidecar, ready: false, restartCount: 0 },
    ] },
  });
  const decide = (p: ReturnType<typeof pod>, text?: string) => decideTaskRun({
    taskRun, resolved: { ok: true, spec }, pod: p, now, defaultTimeoutMs: 3_600_000,
    ...(text !== undefined ? { sidecarLogs: { text, maxResultSize: 64 } } : {}),
  });

  it('is not done while the results sidecar still runs', () => {
    expect(getSucceeded(decide(pod({ running: {} })).status)?.status).toBe('Unknown');
  });

  it('takes the results from the sidecar log once it has terminated', () => {
    const plan = decide(pod({ terminated: { exitCode: 0 } }), '{"name":"r","value":"v","type":"task"}\n');
    expect(getSucceeded(plan.status)?.status).toBe('True');
    expect(plan.status.results).toEqual([{ name: 'r', type: 'string', value: 'v' }]);
  });

  it('fails with TaskRunResultLargerThanAllowedLimit over max-result-size', () => {
    const plan = decide(pod({ terminated: { exitCode: 0 } }), `${JSON.stringify({ name: 'r', value: 'x'.repeat(80), type: 'task' })}\n`);
    expect(getSucceeded(plan.status)).toMatchObject({ status: 'False', reason: 'TaskRunResultLargerThanAllowedLimit' });
    expect(plan.status.results).toBeUndefined();
  });
});
