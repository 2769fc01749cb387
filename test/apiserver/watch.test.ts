/**
 * Watch semantics over HTTPS: synthetic ADDED, resume from a resourceVersion, 410 Expired as an ERROR event
 * followed by the end of the stream, selector transitions, bookmarks, timeoutSeconds, Table events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineRun, startTestServer, streamLines, type TestServer } from './helpers.js';

let t: TestServer;
const PRS = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

beforeAll(async () => {
  t = await startTestServer({ eventWindow: 20, bookmarkIntervalMs: 20 });
});
afterAll(async () => t.close());

type Ev = { type: string; object: { kind: string; metadata: { name?: string; resourceVersion: string; annotations?: Record<string, string> }; code?: number; reason?: string; rows?: { cells: unknown[] }[] } };
const parse = (lines: string[]): Ev[] => lines.map((l) => JSON.parse(l) as Ev);

describe('watch', () => {
  it('starts with synthetic ADDED events and then streams changes', async () => {
    await t.request('POST', PRS, pipelineRun('w-a', { metadata: { name: 'w-a', labels: { w: '1' } } }));
    const w = streamLines(t.api, `${PRS}?watch=true&labelSelector=w`);
    expect(await w.status).toBe(200);
    await w.next(1);
    await t.request('PATCH', `${PRS}/w-a`, { metadata: { annotations: { n: '1' } } }, MERGE);
    await t.request('DELETE', `${PRS}/w-a`);
    const evs = parse(await w.next(3));
    w.close();
    expect(evs.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w-a', 'MODIFIED w-a', 'DELETED w-a']);
    expect(Number(evs[2]?.object.metadata.resourceVersion)).toBeGreaterThan(Number(evs[1]?.object.metadata.resourceVersion));
  });

  it('resumes from a resourceVersion', async () => {
    const a = (await t.request('POST', PRS, pipelineRun('r-a'))).json();
    await t.request('POST', PRS, pipelineRun('r-b'));
    await t.request('POST', PRS, pipelineRun('r-c'));
    const w = streamLines(t.api, `${PRS}?watch=true&resourceVersion=${a.metadata.resourceVersion}`);
    const evs = parse(await w.next(2));
    w.close();
    expect(evs.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED r-b', 'ADDED r-c']);
  });

  it('answers a too-old resourceVersion with an ERROR 410 Expired event, then closes', async () => {
    for (let i = 0; i < 45; i++) await t.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `cm-${i}` } });
    const r = await t.request('GET', `${PRS}?watch=true&resourceVersion=1`); // resolves once the server closes
    const [ev, ...rest] = parse(r.text.trim().split('\n'));
    expect(rest).toEqual([]);
    expect(ev?.type).toBe('ERROR');
    expect(ev?.object).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    const list = (await t.request('GET', PRS)).json();
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(40);
  });

  it('turns selector transitions into ADDED / DELETED', async () => {
    await t.request('POST', PRS, pipelineRun('sel-a'));
    const w = streamLines(t.api, `${PRS}?watch=true&labelSelector=${encodeURIComponent('phase in (on)')}`);
    await w.status;
    await t.request('PATCH', `${PRS}/sel-a`, { metadata: { labels: { phase: 'on' } } }, MERGE);
    await t.request('PATCH', `${PRS}/sel-a`, { metadata: { labels: { phase: 'off' } } }, MERGE);
    const evs = parse(await w.next(2));
    w.close();
    expect(evs.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('sends BOOKMARKs when allowed, and the initial-events-end bookmark with sendInitialEvents', async () => {
    const w = streamLines(t.api, `${PRS}?watch=true&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&labelSelector=none`);
    const evs = parse(await w.next(2));
    w.close();
    expect(evs[0]?.type).toBe('BOOKMARK');
    expect(evs[0]?.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(evs[1]?.type).toBe('BOOKMARK');
    expect(evs[1]?.object.kind).toBe('PipelineRun');
  });

  it('ends the stream after timeoutSeconds', async () => {
    // t.request resolves only when the response ends: the server must end it.
    const r = await t.request('GET', `${PRS}?watch=true&timeoutSeconds=1&labelSelector=none`);
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  });

  it('renders events as one-row Tables under a Table Accept', async () => {
    const w = streamLines(t.api, `${PRS}?watch=true&fieldSelector=metadata.name%3Dtbl-a`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    await w.status;
    await t.request('POST', PRS, pipelineRun('tbl-a'));
    const [ev] = parse(await w.next(1));
    w.close();
    expect(ev?.type).toBe('ADDED');
    expect(ev?.object.kind).toBe('Table');
    expect(ev?.object.rows?.[0]?.cells[0]).toBe('tbl-a');
  });
});
