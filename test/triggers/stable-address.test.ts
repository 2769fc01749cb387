/**
 * Stable sink addresses in embedded mode: a listener's port comes from `--el-port`, its servicePort, the port it
 * had before (remembered in the data dir) or a port range; a restarted embedded cluster on the same data dir serves
 * every listener at the same address, shown in status.address.url and by `tkt el list`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { stablePort } from '../helpers/ports.js';
import { postEvent, waitFor } from './harness.js';

const run = promisify(execFile);
const EL_REF = { apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' };
const dir = mkdtempSync(join(tmpdir(), 'tkt-el-addr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function listener(name: string, servicePort?: number): KubeObject {
  return {
    apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name, namespace: 'default' },
    spec: {
      ...(servicePort ? { resources: { kubernetesResource: { servicePort } } } : {}),
      triggers: [{ name: 't', bindings: [{ name: 'v', value: '$(body.v)' }], template: { spec: { params: [{ name: 'v' }], resourcetemplates: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: `${name}-` }, data: { v: '$(tt.params.v)' } }] } } }],
    },
  };
}

async function urls(emb: Embedded, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const n of names) {
    out[n] = await waitFor(async () => (await emb.client.get<EventListener>(EL_REF, 'default', n)).status?.address?.url, `${n}'s address`);
  }
  return out;
}

describe('stable EventListener sink addresses', () => {
  it('keeps each listener\'s address across a restart of embedded mode', async () => {
    // ports outside the kernel's automatic range: nothing else can take them between the two runs (see stablePort)
    const [flagPort, specPort, rangeFrom] = [await stablePort(), await stablePort(), await stablePort()];
    const addresses = { ports: { 'default/by-flag': flagPort }, portRange: { from: rangeFrom, to: rangeFrom } };
    const start = () => startEmbedded({ dataDir: dir, runtime: 'noop', controllers: false, eventListenerAddresses: addresses });
    let emb = await start();
    let before: Record<string, string>;
    try {
      for (const el of [listener('by-flag'), listener('by-spec', specPort), listener('by-range'), listener('ephemeral')]) await emb.client.create(el);
      before = await urls(emb, ['by-flag', 'by-spec', 'by-range', 'ephemeral']);
      expect(before['by-flag']).toBe(`http://127.0.0.1:${flagPort}`);
      expect(before['by-spec']).toBe(`http://127.0.0.1:${specPort}`);
      // the range has one port: the first listener without a fixed port gets it, the other an ephemeral port
      const auto = [before['by-range'], before.ephemeral];
      expect(auto).toContain(`http://127.0.0.1:${rangeFrom}`);
      const remembered = JSON.parse(readFileSync(join(dir, 'eventlisteners.json'), 'utf8')) as { ports: Record<string, number> };
      expect(Object.keys(remembered.ports).sort()).toEqual(['default/by-range', 'default/ephemeral']);
    } finally {
      await emb.stop();
    }
    emb = await start();
    try {
      // what was last seen, for the failure message: each listener's address, whether it answered, its Ready condition
      let seen = '';
      const after = await waitFor(async () => {
        const u = await urls(emb, ['by-flag', 'by-spec', 'by-range', 'ephemeral']);
        const live = await Promise.all(Object.values(u).map((x) => fetch(`${x}/live`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false)));
        if (live.every(Boolean)) return u;
        const ready = await Promise.all(Object.keys(u).map(async (n) => (await emb.client.get<EventListener>(EL_REF, 'default', n)).status?.conditions?.find((c) => c.type === 'Ready')));
        seen = Object.keys(u).map((n, i) => `${n} ${u[n]} ${live[i] ? 'live' : 'not answering'} (Ready ${ready[i]?.status ?? '?'}: ${ready[i]?.message ?? ''})`).join('; ');
        return undefined;
      }, 'every sink serving after the restart', 40_000).catch((err: Error) => { throw new Error(`${err.message}; last seen: ${seen}`); });
      expect(after).toEqual(before);
      const res = await postEvent(after.ephemeral as string, '{"v":"x"}', {});
      expect(res.status).toBe(202);
      const cli = resolve('bin/tkt.js');
      const { stdout } = await run(process.execPath, [cli, 'el', 'list', '--kubeconfig', emb.kubeconfigPath, '-n', 'default'], { timeout: 60_000 });
      for (const u of Object.values(after)) expect(stdout).toContain(u);
    } finally {
      await emb.stop();
    }
  }, 120_000);

  it('a fixed port that is taken makes the listener Ready=False with the reason, the others are served, and it is served once the port is free', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    const d = mkdtempSync(join(tmpdir(), 'tkt-el-busy-'));
    const emb = await startEmbedded({ dataDir: d, runtime: 'noop', controllers: false, eventListenerAddresses: { ports: { blocked: port } } });
    try {
      await emb.client.create(listener('blocked'));
      await emb.client.create(listener('fine'));
      const cond = await waitFor(async () => (await emb.client.get<EventListener>(EL_REF, 'default', 'blocked')).status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False'), 'Ready=False');
      expect(cond).toMatchObject({ reason: 'SinkNotServed', message: expect.stringMatching(/cannot serve the sink: .*EADDRINUSE/) });
      expect(await urls(emb, ['fine'])).toEqual({ fine: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      // once the port is free again, the manager's retry serves the listener there
      await new Promise<void>((r) => busy.close(() => r()));
      expect(await waitFor(async () => {
        const got = await emb.client.get<EventListener>(EL_REF, 'default', 'blocked');
        return got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? got.status.address?.url : undefined;
      }, 'the blocked listener served after its port was freed', 60_000)).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await emb.stop();
      if (busy.listening) await new Promise<void>((r) => busy.close(() => r()));
      rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});
