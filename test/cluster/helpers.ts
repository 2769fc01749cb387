/**
 * Helpers for the cluster-mode tests: an in-process API server (memory store) in a temp dir with a kubeconfig
 * and a KubeClient, a poll-until helper (no timing assertions: it only bounds how long a test may wait), and
 * a scrape of a Prometheus text endpoint.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type ApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';

/** A running API server under test. */
export interface TestApi {
  api: ApiServer;
  dir: string;
  kubeconfig: string;
  client: KubeClient;
  close(): Promise<void>;
}

/** Starts an API server with a memory store on an ephemeral port. */
export async function startTestApi(opts: { authorizationMode?: 'AlwaysAllow' | 'RBAC' } = {}): Promise<TestApi> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-cluster-'));
  const api = await startApiServer({ logs: new FileLogStore(path.join(dir, 'logs')), port: 0, ...opts });
  const kubeconfig = path.join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const client = new KubeClient(loadKubeConfig({ kubeconfig }));
  let closed = false;
  return {
    api, dir, kubeconfig, client,
    async close() {
      if (closed) return;
      closed = true;
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it answers a truthy value; throws with `what` after `limitMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, limitMs = 30_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** GETs a URL on loopback; answers status and body. */
export function httpGet(url: string): Promise<{ status: number; text: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, contentType: String(res.headers['content-type'] ?? '') }));
    }).on('error', reject);
  });
}

/** The value of one sample in Prometheus text format (`name{a="b"} 3`), label order ignored; undefined if absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[3]);
  }
  return undefined;
}
