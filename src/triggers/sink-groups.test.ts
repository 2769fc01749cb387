import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { memoryLookup } from './lookup.js';
import { createSinkApp } from './sink.js';

const cmTemplate = { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' }, data: { v: '$(tt.params.v)' } }] } };
const selected = (name: string): KubeObject => ({
  apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'Trigger', metadata: { name, namespace: 'default', labels: { group: 'yes' } },
  spec: { bindings: [{ name: 'v', value: `${name}:$(extensions.sha)` }], template: cmTemplate },
});

function sink(objects: KubeObject[]) {
  const stored: KubeObject[] = [];
  const app = createSinkApp({
    name: 'el', namespace: 'default', lookup: memoryLookup(objects),
    create: async (o) => { const c = { ...o, metadata: { ...o.metadata, name: `cm-${stored.length}` } }; stored.push(c); return c; },
    remove: async () => {},
  });
  return { app, stored };
}

describe('trigger groups', () => {
  const el: KubeObject = {
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'el', namespace: 'default' },
    spec: {
      triggerGroups: [{
        name: 'prs',
        interceptors: [{ ref: { name: 'cel' }, params: [{ name: 'filter', value: "header.match('X-GitHub-Event', 'pull_request')" }, { name: 'overlays', value: [{ key: 'sha', expression: 'body.sha.truncate(3)' }] }] }],
        triggerSelector: { labelSelector: { matchLabels: { group: 'yes' } } },
      }],
    },
  };

  it('runs the group interceptors once and hands their extensions to every selected trigger', async () => {
    const { app, stored } = sink([el, selected('t1'), selected('t2')]);
    const res = await request(app).post('/').set('X-GitHub-Event', 'pull_request').send({ sha: 'abcdef' });
    expect(res.status).toBe(202);
    expect(res.body.triggers.map((t: { group: string; trigger: string; status: string }) => [t.group, t.trigger, t.status])).toEqual([['prs', 't1', 'created'], ['prs', 't2', 'created']]);
    expect(stored.map((o) => (o.data as Record<string, string>).v).sort()).toEqual(['t1:abc', 't2:abc']);
  });

  it('a group rejection is one skipped outcome and creates nothing', async () => {
    const { app, stored } = sink([el, selected('t1'), selected('t2')]);
    const res = await request(app).post('/').set('X-GitHub-Event', 'push').send({ sha: 'abcdef' });
    expect(res.status).toBe(202);
    expect(res.body.triggers).toEqual([{ trigger: 'prs', group: 'prs', namespace: 'default', status: 'skipped', reason: 'InterceptorRejected', interceptor: 'cel', code: 9, message: "expression header.match('X-GitHub-Event', 'pull_request') did not return true" }]);
    expect(stored).toHaveLength(0);
  });
});

describe('payload validation off (tekton.dev/payload-validation: "false")', () => {
  const el = (validation?: string): KubeObject => ({
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener',
    metadata: { name: 'el', namespace: 'default', ...(validation ? { annotations: { 'tekton.dev/payload-validation': validation } } : {}) },
    spec: { triggers: [{ name: 't', bindings: [{ name: 'v', value: '$(body.command[0]) $(body.text[0])' }], template: cmTemplate }] },
  });

  it('a form-encoded body becomes a map of string arrays', async () => {
    const { app, stored } = sink([el('false')]);
    const res = await request(app).post('/').type('form').send('command=%2Fbuild&text=main+2222');
    expect(res.status).toBe(202);
    expect(stored.map((o) => o.data)).toEqual([{ v: '/build main 2222' }]);
  });

  it('with validation on, the same body is a 400', async () => {
    const { app, stored } = sink([el()]);
    const res = await request(app).post('/').type('form').send('command=%2Fbuild&text=main+2222');
    expect(res.status).toBe(400);
    expect(stored).toHaveLength(0);
  });
});
