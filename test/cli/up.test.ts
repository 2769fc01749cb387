/** `tkt up` in-process: prints the kubeconfig export, serves the API, stops on SIGINT, keeps objects across restarts. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { task } from './fixtures.js';
import { testIO, tkt } from './helpers/io.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-up-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function up(): Promise<{ kubeconfig: string; stop: () => Promise<number>; stderr: () => string }> {
  const io = testIO({ cwd: dir });
  const done = main(['up', '--data-dir', 'state', '--runtime', 'noop'], io);
  await Promise.race([io.out.until((t) => t.includes('\n')), done.then((code) => { throw new Error(`tkt up exited ${code}: ${io.errOut.text}`); })]);
  const kubeconfig = /^export KUBECONFIG=(.+)\n$/.exec(io.out.text)?.[1] ?? '';
  return { kubeconfig, stderr: () => io.errOut.text, stop: () => { io.signal('SIGINT'); return done; } };
}

describe('tkt up', () => {
  it('serves until SIGINT and finds its objects again after a restart', async () => {
    const first = await up();
    expect(first.kubeconfig).toBe(path.join(dir, 'state', 'kubeconfig'));
    expect(first.stderr()).toMatch(/^tektite is up at https:\/\/127\.0\.0\.1:\d+ \(runtime noop, data in .*state\)\. Ctrl-C stops it\.\ndashboard: http:\/\/127\.0\.0\.1:\d+\/\n$/);
    const def = { ...task, metadata: { name: 'git-clone', namespace: 'default' } };
    const created = await tkt(['t', 'list', '--kubeconfig', first.kubeconfig]);
    expect(created.stdout).toBe('No tasks found\n');
    const { KubeClient, loadKubeConfig } = await import('../../src/kube/client.js');
    await new KubeClient(loadKubeConfig({ kubeconfig: first.kubeconfig })).create(def);
    expect(await first.stop()).toBe(0);
    expect(first.stderr()).toContain('SIGINT: stopping...\nstopped\n');

    const second = await up();
    const listed = await tkt(['t', 'list', '--kubeconfig', second.kubeconfig, '-o', 'name']);
    expect(listed.stdout).toBe('task.tekton.dev/git-clone\n');
    expect(await second.stop()).toBe(0);
  });

  it('a port in use is an infrastructure error (exit 3)', async () => {
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const r = await tkt(['up', '--data-dir', path.join(dir, 'other'), '--port', String(port), '--runtime', 'noop']);
    blocker.close();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Error: cannot start embedded mode: .*EADDRINUSE/);
  });
});
