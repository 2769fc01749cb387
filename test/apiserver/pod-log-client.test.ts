/**
 * KubeClient.podLog with one AbortSignal shared by many streams (tkt's log printer passes one signal for every
 * container of a run): each stream removes its abort listener when it ends, so the signal does not collect them
 * (Node warned "MaxListenersExceededWarning: 11 abort listeners" on every `tkt run` of the quick start's pipeline).
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND } from '../../src/cli/kinds.js';
import { Watched } from '../../src/cli/logs/watch.js';
import { KubeClient, loadKubeConfig } from '../../src/kube/client.js';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => { t = await startTestServer(); });
afterAll(async () => { await t.close(); });

describe('KubeClient.podLog with a shared signal', () => {
  it('leaves no abort listener behind when streams end, and still stops a stream when aborted', async () => {
    const containers = Array.from({ length: 12 }, (_, i) => ({ name: `step-${i}`, image: 'busybox' }));
    const spec = { containers: [...containers, { name: 'open', image: 'busybox' }] };
    const created = await t.request('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'many' }, spec });
    expect(created.status).toBe(201);
    for (const c of containers) {
      t.logs.append('default', 'many', c.name, `${c.name} says hi\n`);
      t.logs.finish('default', 'many', c.name);
    }
    const client = new KubeClient(loadKubeConfig({ kubeconfig: t.kubeconfig }));
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    process.on('warning', onWarning);
    const abort = new AbortController();
    try {
      for (const c of containers) {
        let text = '';
        await client.podLog('default', 'many', { container: c.name, follow: true, signal: abort.signal }, (chunk) => { text += chunk; });
        expect(text).toBe(`${c.name} says hi\n`);
      }
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
      // a follow of a container that is still writing ends when the signal fires
      t.logs.append('default', 'many', 'open', 'still going\n');
      const open = client.podLog('default', 'many', { container: 'open', follow: true, signal: abort.signal }, () => undefined);
      await new Promise((r) => setTimeout(r, 100));
      expect(getEventListeners(abort.signal, 'abort')).toHaveLength(1);
      abort.abort();
      await expect(open).resolves.toBe('');
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('a stopped pod watch (tkt\'s log follower) removes its abort listener too', async () => {
    const client = new KubeClient(loadKubeConfig({ kubeconfig: t.kubeconfig }));
    const abort = new AbortController();
    const watches = await Promise.all(Array.from({ length: 3 }, () => Watched.one(client, KIND.Pod, 'default', 'many', abort.signal)));
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(3);
    for (const w of watches) w.stop();
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });
});
