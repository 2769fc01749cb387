/**
 * A real in-process API server (memory store, admission and defaults as in embedded mode) and a KubeClient for
 * resolver tests, plus a fresh Resolution with its own cache directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaulting } from '../../src/api/defaults.js';
import type { KubeObject } from '../../src/api/types.js';
import { validateObject } from '../../src/api/validate/index.js';
import { Resolution, type ResolutionConfig } from '../../src/controller/resolution/index.js';
import { startApiServer, type ApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';

/** An API server, a client, and a temp dir. */
export interface TestApi {
  api: ApiServer;
  client: KubeClient;
  dir: string;
  create(obj: KubeObject): Promise<KubeObject>;
  /** A Resolution with a cache dir under `dir`. */
  resolution(config?: Partial<ResolutionConfig>): Resolution;
  close(): Promise<void>;
}

/** Starts the API server. */
export async function startTestApi(): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'tkt-resolvers-'));
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
  let n = 0;
  return {
    api, client, dir,
    create: (obj) => client.create(obj),
    resolution: (config = {}) => new Resolution({ config: { cacheDir: join(dir, `cache-${n++}`), ...config } }),
    async close() {
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A ResolveRequest's params from a record. */
export function params(p: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.entries(p).map(([name, value]) => ({ name, value }));
}

/** A small valid Task as YAML. */
export function taskYaml(name: string, echo = name): string {
  return `apiVersion: tekton.dev/v1\nkind: Task\nmetadata:\n  name: ${name}\nspec:\n  steps:\n    - name: say\n      image: busybox\n      script: echo ${echo}\n`;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
