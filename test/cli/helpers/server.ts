/**
 * An in-process embedded API server for CLI tests (memory store, fixed clock), with its kubeconfig, its log
 * store (to append container output by hand) and a client. Objects are seeded with their status.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../../src/api/types.js';
import { startApiServer, type ApiServer } from '../../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../../src/embedded/logs.js';
import { KubeClient, loadKubeConfig } from '../../../src/kube/client.js';

/** A running test server. */
export interface CliTestServer {
  api: ApiServer;
  kubeconfig: string;
  logs: FileLogStore;
  client: KubeClient;
  /** Creates objects, then writes their `status` through the status subresource. */
  seed(...objs: KubeObject[]): Promise<void>;
  /** Replaces an object's status. */
  setStatus(obj: KubeObject, status: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server whose clock is `now` (creationTimestamps are then deterministic). */
export async function startCliServer(now?: Date): Promise<CliTestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-cli-'));
  const logs = new FileLogStore(path.join(dir, 'logs'));
  const api = await startApiServer({ logs, ...(now ? { now: () => now } : {}) });
  const kubeconfig = path.join(dir, 'kubeconfig');
  api.writeKubeconfig(kubeconfig);
  const client = new KubeClient(loadKubeConfig({ kubeconfig }));
  const setStatus = async (obj: KubeObject, status: unknown): Promise<void> => {
    const ns = obj.metadata.namespace ?? 'default';
    await client.patch(obj, ns, obj.metadata.name ?? '', { status }, { status: true });
  };
  return {
    api, kubeconfig, logs, client, setStatus,
    async seed(...objs) {
      for (const o of objs) {
        const { status, ...rest } = o as KubeObject & { status?: unknown };
        await client.create(rest as KubeObject);
        if (status !== undefined) await setStatus(o, status);
      }
    },
    async close() {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
