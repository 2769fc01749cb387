/**
 * The sink's HTTP layer on node:http (http-body.ts): encoded bodies as body-parser read them, the size cap of a
 * chunked body (no Content-Length to refuse it early), the probes as express routed them, one JSON answer.
 */
import http from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { serveDuringFile, VALUE_EL } from './fixtures.js';
import { memoryLookup } from './lookup.js';
import { createSinkApp } from './sink.js';

const stored: KubeObject[] = [];
const app = createSinkApp({
  name: 'el', namespace: 'default', lookup: memoryLookup([VALUE_EL]), maxBodyBytes: 1024,
  create: async (o) => { const c = { ...o, metadata: { ...o.metadata, name: `cm-${stored.length}` } }; stored.push(c); return c; },
  remove: async () => undefined,
});
const server = serveDuringFile(app);

const BODY = JSON.stringify({ v: 'x1' });

/** POSTs raw bytes (supertest would serialise a Buffer sent as JSON). */
function post(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('EventListener sink on node:http', () => {
  it.each([['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const)('reads a %s-encoded body', async (encoding, encode) => {
    stored.length = 0;
    const res = await post(encode(BODY), { 'Content-Encoding': encoding });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(stored.map((o) => (o as { data?: unknown }).data)).toEqual([{ v: 'x1' }]);
  });

  it('415 for an encoding it cannot read, 400 for a body that does not decode; nothing created', async () => {
    stored.length = 0;
    const unknown = await post(BODY, { 'Content-Encoding': 'compress' });
    expect(unknown.status).toBe(415);
    expect(JSON.parse(unknown.body)).toMatchObject({ eventListener: 'el', errorMessage: 'unsupported content encoding "compress"' });
    const broken = await post(BODY, { 'Content-Encoding': 'gzip' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).errorMessage).toBe('incorrect header check');
    expect(stored).toHaveLength(0);
  });

  it('413 for a chunked body past the cap (no Content-Length to refuse it before reading), and closes the connection', async () => {
    const answer = await new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
      req.write(`{"v":"${'x'.repeat(2000)}`);
      setTimeout(() => req.end('"}'), 50);
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body).errorMessage).toBe('request body larger than 1024 bytes');
  });

  it('serves the probes for GET and HEAD in any case, with or without a trailing slash or query; anything else is an event', async () => {
    expect((await request(app).get('/LIVE/?x=1')).text).toBe('ok');
    expect((await request(app).head('/live')).status).toBe(200);
    expect((await request(app).get('/ready')).text).toBe('ok');
    const event = await request(app).get('/live/more');
    expect(event.status).toBe(400); // an event without a body
    expect(event.body.errorMessage).toMatch(/Invalid event body format/);
  });
});
