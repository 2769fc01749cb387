/**
 * Test helpers: an API server on an ephemeral port with temp dirs, a kubectl runner (fresh --cache-dir per
 * server, explicit --kubeconfig), and a raw HTTPS client for request-level checks.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';

/** A server under test with its temp directory, kubeconfig and log store. */
export interface TestServer {
  api: ApiServer;
  dir: string;
  kubeconfig: string;
  logs: FileLogStore;
  kubectl: (args: string[], stdin?: string) => Promise<{ code: number; stdout: string; stderr: string }>;
  spawnKubectl: (args: string[]) => ChildProcess;
  request: (method: string, p: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpAnswer>;
  close: () => Promise<void>;
}

/** A raw HTTP answer. */
export interface HttpAnswer {
  status: number;
  /** The body as received (binary answers: /openapi/v2 in protobuf). */
  bytes: Buffer;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any;
}

/** Starts a server (memory store unless `sqlite`) in a fresh temp dir. */
export async function startTestServer(opts: Partial<ApiServerOptions> & { sqlite?: boolean } = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-apiserver-'));
  const logs = new FileLogStore(path.join(dir, 'logs'));
  const api = await startApiServer({ logs, ...(opts.sqlite ? { dataDir: path.join(dir, 'data') } : {}), ...opts });
  const kubeconfig = path.join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'kube-cache')];
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  const kubectl = (args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = execFile('kubectl', [...base, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
  const spawnKubectl = (args: string[]): ChildProcess => {
    const child = spawn('kubectl', [...base, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    void readUntil(child, () => true); // start collecting output at once
    return child;
  };
  const request = (method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
    httpRequest(api, method, p, body, { Authorization: `Bearer ${api.token}`, ...headers });
  const close = async (): Promise<void> => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { api, dir, kubeconfig, logs, kubectl, spawnKubectl, request, close };
}

/** One HTTPS request to the server (trusting its CA). `body` strings are sent as is. */
export function httpRequest(api: ApiServer, method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const url = new URL(p, api.url);
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method, ca: api.ca,
      headers: { 'Content-Type': 'application/json', ...(payload !== undefined ? { 'Content-Length': Buffer.byteLength(payload) } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, bytes, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Opens a streaming GET and hands out complete lines as they arrive. */
export function streamLines(api: ApiServer, p: string, headers: Record<string, string> = {}): { lines: string[]; next: (n: number) => Promise<string[]>; close: () => void; status: Promise<number> } {
  const lines: string[] = [];
  const waiters: { n: number; resolve: (l: string[]) => void }[] = [];
  let buf = '';
  let statusResolve!: (n: number) => void;
  const status = new Promise<number>((r) => (statusResolve = r));
  const check = (): void => {
    for (const w of [...waiters]) if (lines.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(lines.slice(0, w.n)); }
  };
  const req = https.request(new URL(p, api.url), { ca: api.ca, headers: { Authorization: `Bearer ${api.token}`, ...headers } }, (res) => {
    statusResolve(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l !== ''));
      check();
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  return {
    lines,
    next: (n) => new Promise((resolve) => { waiters.push({ n, resolve }); check(); }),
    close: () => req.destroy(),
    status,
  };
}

/** Reads a child's stdout (everything since it started) until `pred` holds for the text so far. */
export function readUntil(child: ChildProcess, pred: (text: string) => boolean): Promise<string> {
  let state = outputs.get(child);
  if (!state) {
    const st = { text: '', waiters: new Set<() => void>(), exited: false };
    child.stdout?.on('data', (c: Buffer) => { st.text += c.toString('utf8'); for (const w of [...st.waiters]) w(); });
    child.on('exit', () => { st.exited = true; for (const w of [...st.waiters]) w(); });
    outputs.set(child, (state = st));
  }
  const st = state;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (pred(st.text)) {
        st.waiters.delete(check);
        resolve(st.text);
      } else if (st.exited) {
        st.waiters.delete(check);
        reject(new Error(`process exited; output so far:\n${st.text}`));
      }
    };
    st.waiters.add(check);
    check();
  });
}

const outputs = new WeakMap<ChildProcess, { text: string; waiters: Set<() => void>; exited: boolean }>();

/** A minimal PipelineRun. */
export function pipelineRun(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name }, spec: { pipelineRef: { name: 'p' } }, ...extra };
}

/** Writes a file into the test dir and answers its path. */
export function writeFile(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}
