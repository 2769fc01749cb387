/**
 * Every namespace has a ServiceAccount `default`, as on a cluster (kube-controller-manager's serviceaccounts
 * controller): the standard namespaces, a namespace created with kubectl, and those of a data dir written before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { startTestServer, type TestServer } from './helpers.js';

let srv: TestServer | undefined;
afterAll(() => { if (srv) fs.rmSync(srv.dir, { recursive: true, force: true }); });

describe('default ServiceAccount', () => {
  it('exists in the standard namespaces and in a namespace kubectl creates, and comes back on restart', async () => {
    srv = await startTestServer({ sqlite: true });
    for (const ns of ['default', 'kube-system', 'kube-public']) expect(srv.api.store.get('/serviceaccounts', ns, 'default'), ns).toBeDefined();
    expect((await srv.kubectl(['create', 'namespace', 'team-a'])).code).toBe(0);
    const got = await srv.kubectl(['get', 'serviceaccount', 'default', '-n', 'team-a', '-o', 'jsonpath={.metadata.name}']);
    expect(got.stdout).toBe('default');
    expect((await srv.kubectl(['create', 'namespace', 'team-b', '--dry-run=server'])).code).toBe(0);
    expect(srv.api.store.get('/serviceaccounts', 'team-b', 'default')).toBeUndefined();
    // a data dir whose namespace lacks it (written before, or deleted by a user): the next start makes it
    expect((await srv.kubectl(['delete', 'serviceaccount', 'default', '-n', 'team-a'])).code).toBe(0);
    await srv.api.close();
    const dataDir = path.join(srv.dir, 'data');
    const again = await startApiServer({ logs: new FileLogStore(path.join(srv.dir, 'logs')), dataDir });
    try {
      expect(again.store.get('/serviceaccounts', 'team-a', 'default')).toBeDefined();
    } finally {
      await again.close();
    }
  });
});
