import { describe, expect, it } from 'vitest';
import type { Condition } from '../api/types.js';
import { runEvents } from './run-events.js';

const c = (status: Condition['status'], reason: string, message = ''): Condition => ({ type: 'Succeeded', status, reason, message });

describe('runEvents (Tekton k8sevent.EmitK8sEvents)', () => {
  it('a new run is Started, then its first condition is reported', () => {
    expect(runEvents(undefined, c('Unknown', 'Running', 'Not all Steps in the Task have finished executing'))).toEqual([
      { type: 'Normal', reason: 'Started', message: '' },
      { type: 'Normal', reason: 'Running', message: 'Not all Steps in the Task have finished executing' },
    ]);
    expect(runEvents(undefined, c('Unknown', 'Started'))).toEqual([{ type: 'Normal', reason: 'Started', message: '' }]);
  });

  it('success is Normal Succeeded, failure Warning Failed, with the condition message', () => {
    expect(runEvents(c('Unknown', 'Running'), c('True', 'Succeeded', 'All Steps have completed executing'))).toEqual([{ type: 'Normal', reason: 'Succeeded', message: 'All Steps have completed executing' }]);
    expect(runEvents(c('Unknown', 'Running'), c('False', 'TaskRunImagePullFailed', 'boom'))).toEqual([{ type: 'Warning', reason: 'Failed', message: 'boom' }]);
  });

  it('no change, no Event; a changed message while running is one Event', () => {
    expect(runEvents(c('Unknown', 'Running', 'a'), c('Unknown', 'Running', 'a'))).toEqual([]);
    expect(runEvents(c('Unknown', 'Running', 'a'), c('Unknown', 'Running', 'b'))).toEqual([{ type: 'Normal', reason: 'Running', message: 'b' }]);
    expect(runEvents(c('Unknown', 'Running'), undefined)).toEqual([]);
  });
});
