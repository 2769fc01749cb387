import { describe, expect, it } from 'vitest';
import { describeEventListener, formatEventListenerTable, type EventListenerLike } from '../../src/cli/output/eventlistener.js';
import { describePipeline, describeTask, formatPipelineTable, formatTaskTable } from '../../src/cli/output/definitions.js';
import { describePipelineRun } from '../../src/cli/output/pipelinerun.js';
import { formatRunTable } from '../../src/cli/output/runs.js';
import { describeTaskRun } from '../../src/cli/output/taskrun.js';
import { makeTheme } from '../../src/cli/output/theme.js';
import { eventListener, pipeline, pipelineRuns, task, taskRuns } from './fixtures.js';
import { expectGolden } from './helpers/golden.js';
import { NOW } from './helpers/io.js';

const plain = makeTheme(false);
const color = makeTheme(true);
const pr = (n: number) => pipelineRuns[n - 1]!;
const childrenOf = (name: string) => taskRuns.filter((t) => t.metadata.labels?.['tekton.dev/pipelineRun'] === name);

describe('list tables', () => {
  it('pipelineruns: no start time first, then newest first; tkn status words', () => {
    expectGolden('pr-list.txt', formatRunTable(pipelineRuns, { now: NOW, theme: plain, emptyMessage: 'No PipelineRuns found' }));
  });
  it('pipelineruns: -A, --no-headers, --reverse', () => {
    expectGolden('pr-list-all-noheaders-reverse.txt', formatRunTable(pipelineRuns, { now: NOW, theme: plain, allNamespaces: true, noHeaders: true, reverse: true, emptyMessage: '' }));
  });
  it('empty list message', () => {
    expect(formatRunTable([], { now: NOW, theme: plain, emptyMessage: 'No PipelineRuns found' })).toBe('No PipelineRuns found\n');
  });
  it('colours the status only with colours on, and alignment ignores escape codes', () => {
    const text = formatRunTable(pipelineRuns.slice(0, 3), { now: NOW, theme: color, emptyMessage: '' });
    expect(text).toContain('\u001b[');
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatRunTable(pipelineRuns.slice(0, 3), { now: NOW, theme: plain, emptyMessage: '' }));
    expectGolden('pr-list-color.txt', text);
  });
  it('taskruns', () => {
    expectGolden('tr-list.txt', formatRunTable(taskRuns, { now: NOW, theme: plain, emptyMessage: 'No TaskRuns found' }));
  });
  it('pipelines with their latest run, tasks, eventlisteners', () => {
    expectGolden('p-list.txt', formatPipelineTable([pipeline], pipelineRuns, { now: NOW, theme: plain }));
    expectGolden('t-list.txt', formatTaskTable([task], { now: NOW, theme: plain }));
    expectGolden('el-list.txt', formatEventListenerTable([eventListener as EventListenerLike], { now: NOW }));
  });
});

describe('describe', () => {
  it('a succeeded PipelineRun with params, results, workspaces, taskruns and skipped tasks', () => {
    expectGolden('pr-describe.txt', describePipelineRun({ pipelineRun: pr(1), taskRuns: childrenOf('build-run-1'), now: NOW, theme: plain }));
  });
  it('a failed PipelineRun shows the message and the failed TaskRuns', () => {
    expectGolden('pr-describe-failed.txt', describePipelineRun({ pipelineRun: pr(2), taskRuns: childrenOf('build-run-2'), now: NOW, theme: plain }));
  });
  it('a PipelineRun without status', () => {
    expectGolden('pr-describe-pending.txt', describePipelineRun({ pipelineRun: pr(6), taskRuns: [], now: NOW, theme: plain }));
  });
  it('with colours: emoji headings, bold labels, bullets', () => {
    expectGolden('pr-describe-color.txt', describePipelineRun({ pipelineRun: pr(1), taskRuns: childrenOf('build-run-1'), now: NOW, theme: color }));
  });
  it('TaskRuns: steps, sidecars, message', () => {
    expectGolden('tr-describe.txt', describeTaskRun({ taskRun: taskRuns[0]!, now: NOW, theme: plain }));
    expectGolden('tr-describe-failed.txt', describeTaskRun({ taskRun: taskRuns[2]!, now: NOW, theme: plain }));
  });
  it('Pipelines, Tasks, EventListeners', () => {
    expectGolden('p-describe.txt', describePipeline(pipeline, pipelineRuns, NOW, plain));
    expectGolden('t-describe.txt', describeTask(task, taskRuns.slice(0, 1), NOW, plain));
    expectGolden('el-describe.txt', describeEventListener(eventListener as EventListenerLike, plain));
  });
});
