/**
 * Bad input against a real API server and the manager: every case gets its documented answer (docs/triggers.md)
 * and no trigger is half-created — objects labelled with the event's id are counted across kinds and namespaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager, type EventListenerManager } from '../../src/triggers/index.js';
import { postEvent, sign256, startTestCluster, waitFor, type TestCluster } from './harness.js';

const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-', ...extra }, data });
const goodPR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'ok-' }, spec: { pipelineRef: { name: 'p' }, params: [{ name: 'v', value: '$(tt.params.v)' }] } };
const invalidPR = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: 'bad-' }, spec: { params: [{ name: 'v', value: '$(tt.params.v)' }] } };
const tmpl = (resourcetemplates: unknown[], params: unknown[] = [{ name: 'v' }]) => ({ spec: { params, resourcetemplates } });
const trig = (name: string, value: string, template: unknown, extra: Record<string, unknown> = {}) => ({ name, bindings: [{ name: 'v', value }], template, ...extra });

/** EventListener name → its triggers. */
const LISTENERS: Record<string, unknown[]> = {
  plain: [trig('t', '$(body.a)', tmpl([cm({ v: '$(tt.params.v)' })]))],
  'missing-path': [trig('t', '$(body.not.there)', tmpl([cm({ v: '$(tt.params.v)' })]))],
  'missing-path-default': [trig('t', 'x-$(body.not.there)', tmpl([cm({ v: '$(tt.params.v)' })], [{ name: 'v', default: 'the-default' }]))],
  'missing-header': [trig('t', '$(header.X-Not-Sent)', tmpl([cm({ v: '$(tt.params.v)' })]))],
  'unknown-trigger-ref': [trig('t', '$(body.a)', tmpl([cm({ v: '$(tt.params.v)' })])), { triggerRef: 'no-such-trigger' }],
  'unknown-binding-ref': [{ name: 't', bindings: [{ ref: 'no-such-binding' }], template: tmpl([cm({ v: 'x' })]) }],
  'unknown-template-ref': [{ name: 't', bindings: [], template: { ref: 'no-such-template' } }],
  'invalid-run': [trig('a', '$(body.a)', tmpl([cm({ v: '$(tt.params.v)' })])), trig('b', '$(body.a)', tmpl([goodPR, invalidPR]))],
  'object-in-string': [trig('t', '$(body)', tmpl([cm({ v: '$(tt.params.v)' })]))],
  'unknown-kind': [trig('t', '$(body.a)', tmpl([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]))],
  'foreign-namespace': [trig('t', '$(body.a)', tmpl([cm({ v: '$(tt.params.v)' }, { namespace: 'kube-system' })]))],
  signed: [trig('t', '$(body.a)', tmpl([cm({ v: '$(tt.params.v)' })]), { interceptors: [{ ref: { name: 'github' }, params: [{ name: 'secretRef', value: { secretName: 'gh', secretKey: 'k' } }, { name: 'eventTypes', value: ['push'] }] }] })],
};

let cluster: TestCluster;
let manager: EventListenerManager;
const urls: Record<string, string> = {};

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.client.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gh', namespace: 'default' }, stringData: { k: 's3cret' } } as KubeObject);
  for (const [name, triggers] of Object.entries(LISTENERS)) {
    await cluster.client.create({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name, namespace: 'default' }, spec: { triggers } } as KubeObject);
  }
  manager = await startEventListenerManager({ client: cluster.client });
  for (const name of Object.keys(LISTENERS)) {
    urls[name] = await waitFor(async () => (await cluster.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'default', name)).status?.address?.url, `EL ${name}`);
  }
});
afterAll(async () => {
  await manager?.close();
  await cluster?.close();
});

async function createdFor(eventID: unknown): Promise<KubeObject[]> {
  if (typeof eventID !== 'string') return [];
  const sel = { labelSelector: `triggers.tekton.dev/triggers-eventid=${eventID}` };
  const kinds = [{ apiVersion: 'v1', kind: 'ConfigMap' }, { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun' }, { apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }];
  return (await Promise.all(kinds.map((k) => cluster.client.list<KubeObject>(k, undefined, sel)))).flatMap((l) => l.items);
}

type Case = [string, string, string | Buffer, Record<string, string>, number, RegExp, number];
const json = '{"a":"value"}';
const CASES: Case[] = [
  ['not JSON', 'plain', '{"a":', {}, 400, /Invalid event body format/, 0],
  ['JSON array', 'plain', '[{"a":1}]', {}, 400, /must be a JSON object, got a JSON array/, 0],
  ['JSON number', 'plain', '42', {}, 400, /must be a JSON object, got a JSON number/, 0],
  ['empty body', 'plain', '', {}, 400, /got an empty body/, 0],
  ['huge body (over the 10 MiB default)', 'plain', Buffer.alloc(10 * 1024 * 1024 + 10, 0x20), {}, 413, /larger than 10485760 bytes/, 0],
  ['binding path missing, no default', 'missing-path', json, {}, 202, /BindingFailed.*param .*v.*not is not found/, 0],
  ['binding path missing, template default', 'missing-path-default', json, {}, 202, /Created/, 1],
  ['header the binding needs is missing', 'missing-header', json, {}, 202, /BindingFailed.*X-Not-Sent is not found/, 0],
  ['signature header missing', 'signed', json, { 'X-GitHub-Event': 'push' }, 202, /InterceptorRejected.*Must set X-Hub-Signature-256 or X-Hub-Signature header/, 0],
  ['event type header missing', 'signed', json, { 'X-Hub-Signature-256': sign256(json, 's3cret') }, 202, /InterceptorRejected.*event type {2}is not allowed/, 0],
  ['unknown trigger reference (the other trigger still runs)', 'unknown-trigger-ref', json, {}, 202, /Trigger default\/no-such-trigger not found/, 1],
  ['unknown TriggerBinding reference', 'unknown-binding-ref', json, {}, 500, /TriggerBinding default\/no-such-binding not found/, 0],
  ['unknown TriggerTemplate reference', 'unknown-template-ref', json, {}, 500, /TriggerTemplate default\/no-such-template not found/, 0],
  ['a run the API server rejects (that trigger rolled back, the other kept)', 'invalid-run', json, {}, 202, /CreateFailed.*deleted again/, 1],
  ['an object inserted inside a string', 'object-in-string', json, {}, 500, /RenderFailed.*not valid JSON/, 0],
  ['a kind the API server does not serve', 'unknown-kind', json, {}, 500, /Widget.*not a kind the API server serves/, 0],
  ['a namespace the EventListener may not create in', 'foreign-namespace', json, {}, 500, /namespace kube-system/, 0],
];

describe('bad input gets its documented answer and nothing half-created', () => {
  it.each(CASES)('%s', async (_name, el, body, headers, status, message, created) => {
    const res = await postEvent(urls[el]!, body, headers);
    expect(res.status).toBe(status);
    const text = JSON.stringify(res.json);
    expect(text).toMatch(message);
    if (status >= 400) expect(typeof res.json.errorMessage).toBe('string');
    expect(await createdFor(res.json.eventID)).toHaveLength(created);
  });

  it('the missing-path default replaces only the failing expression', async () => {
    const res = await postEvent(urls['missing-path-default']!, json, {});
    const [obj] = await createdFor(res.json.eventID);
    expect((obj as KubeObject & { data: Record<string, string> }).data.v).toBe('x-the-default');
  });

  it('after all the bad input the listeners still serve good events', async () => {
    const res = await postEvent(urls.plain!, json, {});
    expect(res.status).toBe(202);
    const objs = await createdFor(res.json.eventID);
    expect(objs.map((o) => (o as KubeObject & { data: Record<string, string> }).data.v)).toEqual(['value']);
  });
});
