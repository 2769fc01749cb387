import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { InProcessHttp, InProcessResponse } from './in-process.js';
import { frame, portHttp, servePort, unframe } from './in-process-port.js';

describe('in-process requests over a MessagePort', () => {
  it('frames answer parts of any text and reads them back in order', () => {
    const parts: Array<[number, number, string]> = [[1, 0, '200'], [1, 1, '{"a":"x,y:z\\n"}\n'], [7, 1, 'ünï€ødé 🚀,:'], [1, 2, ''], [7, 3, 'broke: off, early']];
    const seen: Array<[number, number, string]> = [];
    unframe(parts.map(([id, k, v]) => frame(id, k, v)).join(''), (id, k, v) => seen.push([id, k, v]));
    expect(seen).toEqual(parts);
    expect(() => unframe('12,1', () => undefined)).toThrow(/malformed/);
  });

  it('carries requests and answers between the two ends, stops an exchange the client aborts, and fails open ones when the port closes', async () => {
    const { port1, port2 } = new MessageChannel();
    const aborted: string[] = [];
    const watchers = new Map<string, InProcessResponse>();
    // the server: echoes the request, or keeps a "watch" open until aborted
    const server: InProcessHttp = (req, res) => {
      setImmediate(() => {
        if (req.path.startsWith('/watch')) {
          res.head(200);
          watchers.set(req.path, res);
          return;
        }
        res.head(req.method === 'GET' ? 200 : 201);
        res.data(`${req.method} ${req.path} ${req.headers.Authorization ?? ''} ${req.body ?? ''}`);
        res.end();
      });
      return () => aborted.push(req.path);
    };
    servePort(port1, server);
    const client = portHttp(port2);
    const call = (method: string, path: string, body?: string): Promise<{ status: number; text: string; err?: string }> => new Promise((resolve) => {
      let status = 0;
      let text = '';
      client({ method, path, headers: { Authorization: 'Bearer t' }, ...(body === undefined ? {} : { body }) }, {
        head: (s) => { status = s; },
        data: (c) => { text += c; },
        end: (err) => resolve({ status, text, ...(err ? { err: err.message } : {}) }),
      });
    });
    expect(await Promise.all([call('GET', '/a'), call('POST', '/b', '{"x":"ü,:"}')])).toEqual([
      { status: 200, text: 'GET /a Bearer t ' },
      { status: 201, text: 'POST /b Bearer t {"x":"ü,:"}' },
    ]);
    // a watch: events arrive in order; aborting it reaches the server
    const events: string[] = [];
    const stop = client({ method: 'GET', path: '/watch/1', headers: {} }, { head: () => undefined, data: (c) => events.push(c), end: () => events.push('end') });
    await waitUntil(() => watchers.has('/watch/1'));
    for (const e of ['e1\n', 'e2\n', 'e3\n']) watchers.get('/watch/1')?.data(e);
    await waitUntil(() => events.length === 3);
    expect(events).toEqual(['e1\n', 'e2\n', 'e3\n']);
    stop();
    await waitUntil(() => aborted.includes('/watch/1'));
    // another watch is open when the port closes: it ends with an error on the client's side, and is aborted on the server's
    const ended: string[] = [];
    client({ method: 'GET', path: '/watch/2', headers: {} }, { head: () => undefined, data: () => undefined, end: (err) => ended.push(err?.message ?? 'ok') });
    await waitUntil(() => watchers.has('/watch/2'));
    port2.close();
    await waitUntil(() => ended.length === 1 && aborted.includes('/watch/2'));
    expect(ended).toEqual(['the API server thread went away']);
  });
});

async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
}
