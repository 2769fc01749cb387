/**
 * `tkt customrun list/describe/delete` in tkn's output formats, and `tkt pr describe` naming a CustomRun that no
 * controller has started (Tekton leaves it pending), against a real embedded API server seeded with objects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomRun, PipelineRun } from '../../src/api/types.js';
import { expectGolden } from './helpers/golden.js';
import { tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';
import { NOW } from './helpers/io.js';
import { formatSummary } from '../../src/cli/run/summary.js';
import { makeTheme } from '../../src/cli/output/theme.js';

let srv: CliTestServer;
const run = (args: string[]) => tkt([...args, '--kubeconfig', srv.kubeconfig]);

const ok = { type: 'Succeeded', status: 'True' as const, reason: 'DurationElapsed', message: 'The wait duration has elapsed' };
const failed = { type: 'Succeeded', status: 'False' as const, reason: 'TimedOut', message: 'Wait Task failed as it times out.' };

function customRun(name: string, spec: CustomRun['spec'], status?: CustomRun['status'], labels?: Record<string, string>): CustomRun {
  return { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) }, spec, ...(status ? { status } : {}) };
}

const wait = { apiVersion: 'wait.testing.tekton.dev/v1beta1', kind: 'Wait' };

beforeAll(async () => {
  srv = await startCliServer(NOW);
  const parent: PipelineRun = {
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'release', namespace: 'default' },
    spec: { pipelineSpec: { tasks: [{ name: 'approve', taskRef: { apiVersion: 'example.dev/v1alpha1', kind: 'Approval' } }] } },
    status: {
      startTime: '2026-03-01T11:50:00Z', conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running', message: '' }],
      childReferences: [{ apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', name: 'release-approve', pipelineTaskName: 'approve' }],
    },
  };
  await srv.seed(
    customRun('wait-ok', { customRef: wait, params: [{ name: 'duration', value: '5s' }], timeout: '10s', serviceAccountName: 'bot' },
      { startTime: '2026-03-01T11:58:00Z', completionTime: '2026-03-01T11:58:05Z', conditions: [ok] }),
    customRun('wait-late', { customRef: wait, params: [{ name: 'duration', value: '30s' }], timeout: '1s' },
      { startTime: '2026-03-01T11:00:00Z', completionTime: '2026-03-01T11:00:01Z', conditions: [failed], results: [{ name: 'r', value: 'v' }] }),
    parent,
    customRun('release-approve', { customRef: { apiVersion: 'example.dev/v1alpha1', kind: 'Approval' }, serviceAccountName: '' }, undefined,
      { 'tekton.dev/pipelineRun': 'release', 'tekton.dev/pipelineTask': 'approve' }),
  );
});
afterAll(async () => srv?.close());

describe('tkt customrun', () => {
  it.each([
    ['cmd-cr-list.txt', ['customrun', 'list']],
    ['cmd-cr-describe.txt', ['cr', 'describe', 'wait-late']],
    ['cmd-cr-describe-pending.txt', ['customruns', 'desc', 'release-approve']],
    ['cmd-pr-describe-customrun.txt', ['pr', 'describe', 'release']],
  ])('%s', async (golden, args) => {
    const r = await run(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectGolden(golden, r.stdout);
  });

  it('lists like tkn: NAME STARTED DURATION STATUS, "No CustomRuns found" when empty, -A with NAMESPACE', async () => {
    const list = (await run(['cr', 'ls'])).stdout.split('\n');
    expect(list[0]).toMatch(/^NAME\s+STARTED\s+DURATION\s+STATUS$/);
    expect(list.slice(1, 4).map((l) => l.split(/\s{2,}/)[0])).toEqual(['release-approve', 'wait-ok', 'wait-late']);
    expect(list[2]).toMatch(/^wait-ok\s+2 minutes ago\s+5s\s+Succeeded\(DurationElapsed\)$/);
    expect((await run(['cr', 'list', '-n', 'kube-public'])).stdout).toBe('No CustomRuns found\n');
    expect((await run(['cr', 'list', '-A', '--no-headers', '--limit', '1'])).stdout).toMatch(/^default\s+release-approve\s+---\s+---\s+---\n$/);
  });

  it('describes: Custom Ref, Timeout as Go prints it, Message of a failure, Params, Results; pending says so', async () => {
    const late = (await run(['cr', 'describe', 'wait-late'])).stdout;
    expect(late).toMatch(/Timeout:\s+1s\n/);
    expect(late).toContain('Wait Task failed as it times out.');
    expect(late).toMatch(/ NAME\s+VALUE\n ∙ duration\s+30s\n|\n duration\s+30s\n/);
    const pending = (await run(['cr', 'describe', 'release-approve'])).stdout;
    expect(pending).toContain('Pending: no controller for example.dev/v1alpha1 Approval has started this CustomRun');
    expect((await run(['pr', 'describe', 'release'])).stdout).toMatch(/release-approve\s+approve\s+---\s+---\s+Pending \(no controller for example\.dev\/v1alpha1 Approval has started it\)/);
  });

  it('deletes with -f', async () => {
    const r = await run(['cr', 'delete', 'wait-ok', '-f']);
    expect(r.stdout).toBe('CustomRuns deleted: "wait-ok"\n');
    expect((await run(['cr', 'describe', 'wait-ok'])).stderr).toContain('CustomRun "wait-ok" not found');
  });
});

describe('tkt run summary', () => {
  it('lists custom tasks and child PipelineRuns by their pipeline task, not as "Not started"', () => {
    const pr: PipelineRun = {
      apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'p' },
      spec: { pipelineSpec: { tasks: [{ name: 'wait', taskRef: wait }, { name: 'inner', pipelineSpec: { tasks: [] } }] } },
      status: { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: '' }] },
    };
    const cr = customRun('p-wait', { customRef: wait }, { conditions: [ok] }, { 'tekton.dev/pipelineTask': 'wait' });
    const child: PipelineRun = { ...pr, metadata: { name: 'p-inner', labels: { 'tekton.dev/pipelineTask': 'inner' } } };
    const text = formatSummary([{ run: pr, taskRuns: [], others: [child, cr] }], makeTheme(false));
    expect(text).toMatch(/\n {2}inner\s+Succeeded\s+---\n {2}wait\s+Succeeded\(DurationElapsed\)\s+---\n$/);
  });
});
