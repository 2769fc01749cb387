/**
 * Test harness for Triggers: a real in-process API server (memory store, admission and defaults as in embedded
 * mode), a kubeconfig, a KubeClient, kubectl with a fresh cache dir, and helpers to apply YAML, sign and post.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { defaulting } from '../../src/api/defaults.js';
import type { KubeObject } from '../../src/api/types.js';
import { validateObject } from '../../src/api/validate/index.js';
import { startApiServer, type ApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';

const run = promisify(execFile);

/** A running API server with a client and kubectl. */
export interface TestCluster {
  api: ApiServer;
  client: KubeClient;
  kubeconfig: string;
  dir: string;
  kubectl(args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Creates every document of a YAML text through the client (namespace default unless set). */
  applyYaml(text: string): Promise<KubeObject[]>;
  close(): Promise<void>;
}

/** Starts an API server like embedded mode's (memory store). */
export async function startTestCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tkt-triggers-'));
  const api = await startApiServer({
    logs: new FileLogStore(join(dir, 'logs')), port: 0,
    admission: (obj, ctx) => {
      const r = validateObject(obj, { unknownFields: ctx.unknownFields });
      return { ok: r.ok, errors: r.errors, warnings: r.warnings };
    },
    defaults: defaulting(),
  });
  const kubeconfig = join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const client = new KubeClient(loadKubeConfig({ kubeconfig }));
  const cacheDir = join(dir, 'kube-cache');
  return {
    api, client, kubeconfig, dir,
    kubectl: (args) => run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 60_000 }),
    async applyYaml(text) {
      const out: KubeObject[] = [];
      for (const doc of parseAllDocuments(text)) {
        const obj = doc.toJS() as KubeObject | null;
        if (obj) out.push(await client.create(obj));
      }
      return out;
    },
    async close() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `sha256=<hex>` over the body with the secret (GitHub's X-Hub-Signature-256). */
export function sign256(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `sha1=<hex>` (Bitbucket Server's X-Hub-Signature). */
export function sign1(body: string | Buffer, secret: string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

/** POSTs a body; answers the status and parsed JSON. */
export async function postEvent(url: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/** Polls until `fn` answers a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
