import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../api/types.js';
import { startApiServer, type ApiServer } from '../embedded/apiserver/index.js';
import { FileLogStore } from '../embedded/logs.js';
import { KubeClient, loadKubeConfig } from '../kube/client.js';
import { clientWriters } from './server.js';

let dir: string;
let api: ApiServer;
let client: KubeClient;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-writers-'));
  api = await startApiServer({ logs: new FileLogStore(path.join(dir, 'logs')) });
  api.writeKubeconfig(path.join(dir, 'kubeconfig'));
  client = new KubeClient(loadKubeConfig({ kubeconfig: path.join(dir, 'kubeconfig') }));
});
afterAll(async () => {
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } } as KubeObject);

describe('clientWriters', () => {
  it('writes through an API server of this process directly, or over HTTPS when asked', async () => {
    const overHttp = vi.spyOn(client, 'create');
    const local = clientWriters(client);
    expect((await local.create(cm('local'))).metadata.namespace).toBe('default');
    expect(overHttp).not.toHaveBeenCalled();
    await clientWriters(client, false).create(cm('remote'));
    expect(overHttp).toHaveBeenCalledTimes(1);
    await local.remove(cm('local'));
    await local.remove({ ...cm('remote'), metadata: { name: 'remote', namespace: 'default' } });
    expect(api.store.list('/configmaps', 'default')).toEqual([]);
    overHttp.mockRestore();
  });
});
