/** `tkt tt|tb|ctb list|describe|delete` and `tkt el delete|logs` against the API server (tkn's outputs). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/api/types.js';
import { expectGolden } from './helpers/golden.js';
import { NOW, tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';

let srv: CliTestServer;
const run = (args: string[], stdin?: string) => tkt([...args, '--kubeconfig', srv.kubeconfig], { stdin });
const T = 'triggers.tekton.dev/v1beta1';

beforeAll(async () => {
  srv = await startCliServer(NOW);
  await srv.seed(
    { apiVersion: T, kind: 'TriggerTemplate', metadata: { name: 'build-tt', namespace: 'default' }, spec: {
      params: [{ name: 'revision', description: 'git revision', default: 'main' }, { name: 'url' }],
      resourcetemplates: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'build-' }, spec: {} }],
    } } as KubeObject,
    { apiVersion: T, kind: 'TriggerBinding', metadata: { name: 'push-tb', namespace: 'default' }, spec: { params: [{ name: 'revision', value: '$(body.head_commit.id)' }] } } as KubeObject,
    { apiVersion: T, kind: 'ClusterTriggerBinding', metadata: { name: 'shared-ctb' }, spec: { params: [{ name: 'url', value: '$(body.repository.url)' }] } } as KubeObject,
    { apiVersion: T, kind: 'EventListener', metadata: { name: 'gone-el', namespace: 'default' }, spec: { triggers: [] } } as KubeObject,
  );
});
afterAll(async () => srv?.close());

describe('trigger resources', () => {
  it('list: NAME AGE', async () => {
    expect((await run(['tt', 'list'])).stdout).toBe('NAME       AGE\nbuild-tt   0 seconds ago\n');
    expect((await run(['tb', 'ls', '--no-headers', '-o', 'name'])).stdout).toBe('triggerbinding.triggers.tekton.dev/push-tb\n');
    expect((await run(['ctb', 'list'])).stdout).toMatch(/^NAME\s+AGE\nshared-ctb\s+\S/);
    expect((await run(['tt', 'list', '-n', 'empty'])).stdout).toBe('No TriggerTemplates found\n');
  });

  it('describe a TriggerTemplate: params and resource templates', async () => {
    const r = await run(['tt', 'describe', 'build-tt']);
    expect(r.stdout).toBe([
      'Name:        build-tt',
      'Namespace:   default',
      '',
      'Params',
      '',
      ' NAME       DESCRIPTION    DEFAULT VALUE',
      ' revision   git revision   main',
      ' url        ---            ---',
      '',
      'ResourceTemplates',
      '',
      ' NAME   GENERATENAME   KIND          APIVERSION',
      ' ---    build-         PipelineRun   tekton.dev/v1',
      '',
    ].join('\n'));
  });

  it('describe a (Cluster)TriggerBinding: params', async () => {
    expect((await run(['tb', 'describe', 'push-tb'])).stdout).toContain(' revision   $(body.head_commit.id)');
    expect((await run(['ctb', 'desc', 'shared-ctb'])).stdout).toContain(' url    $(body.repository.url)');
    expect((await run(['tb', 'describe', 'nope'])).code).toBe(2);
  });

  it('delete asks, -f does not; el delete', async () => {
    const no = await run(['tb', 'delete', 'push-tb'], 'n\n');
    expect(no.code).toBe(2);
    expect(no.stdout).toBe('Are you sure you want to delete TriggerBinding(s) "push-tb" (y/n): ');
    expect((await run(['tb', 'rm', 'push-tb'], 'y\n')).stdout).toContain('TriggerBindings deleted: "push-tb"');
    expect((await run(['ctb', 'delete', '-f', 'shared-ctb'])).stdout).toBe('ClusterTriggerBindings deleted: "shared-ctb"\n');
    expect((await run(['el', 'delete', '-f', 'gone-el'])).stdout).toBe('EventListeners deleted: "gone-el"\n');
    expect((await run(['tb', 'list'])).stdout).toBe('No TriggerBindings found\n');
  });

  it('el logs: the last -t lines of each eventlistener=NAME pod, tkn\'s prefix; Events when served in-process; none', async () => {
    await srv.seed(
      { apiVersion: T, kind: 'EventListener', metadata: { name: 'hooks', namespace: 'default' }, spec: { triggers: [] } } as KubeObject,
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'el-hooks-abc', namespace: 'default', labels: { eventlistener: 'hooks' } }, spec: { containers: [{ name: 'event-listener', image: 'x' }] } } as KubeObject,
      { apiVersion: T, kind: 'EventListener', metadata: { name: 'embedded', namespace: 'default' }, spec: { triggers: [] } } as KubeObject,
      { apiVersion: 'v1', kind: 'Event', metadata: { name: 'embedded.1', namespace: 'default' }, involvedObject: { kind: 'EventListener', name: 'embedded', namespace: 'default' }, type: 'Normal', reason: 'dev.tekton.event.triggers.done.v1', message: 'event 7f3 processed', lastTimestamp: '2026-03-01T11:59:00Z', count: 2 } as KubeObject,
      { apiVersion: T, kind: 'EventListener', metadata: { name: 'quiet', namespace: 'default' }, spec: { triggers: [] } } as KubeObject,
    );
    srv.logs.append('default', 'el-hooks-abc', 'event-listener', Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const tail = await run(['el', 'logs', 'hooks', '-t', '2']);
    expect(tail.code).toBe(0);
    expect(tail.stdout).toBe('\n[hooks-el-hooks-abc]: line 11\n[hooks-el-hooks-abc]: line 12\n');
    const all = await run(['el', 'logs', 'hooks']);
    expect(all.stdout.split('\n').filter(Boolean)).toHaveLength(10);
    expect((await run(['el', 'logs', 'hooks', '-t', '-1'])).stdout.split('\n').filter(Boolean)).toHaveLength(12);
    expectGolden('el-logs-events.txt', (await run(['el', 'logs', 'embedded'])).stdout);
    expect((await run(['el', 'logs', 'quiet'])).stdout).toBe('No pods available for EventListener quiet\n');
    const bad = await run(['el', 'logs', 'hooks', '-t', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('Error: tail cannot be 0 or less than 0 unless -1 for all pods\n');
    expect((await run(['el', 'logs', 'nope'])).code).toBe(2);
  });
});
