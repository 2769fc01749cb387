/** The host (bubblewrap) runtime, driven directly with ContainerLaunch values. */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostRuntime, bwrapWorks } from '../../src/embedded/kubelet/runtimes/host.js';
import { launchOf, tempDir } from './helpers.js';

let available = false;
beforeAll(async () => {
  available = await bwrapWorks();
  if (!available) console.warn('SKIP host runtime tests: bubblewrap (bwrap) is missing or cannot create a sandbox');
});

const cleanups: Array<() => void> = [];
afterEach(() => { while (cleanups.length) cleanups.pop()?.(); });

function scratch(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function run(launch: Parameters<HostRuntime['start']>[0]): Promise<{ code: number; out: string; startError?: string }> {
  let out = '';
  const h = await new HostRuntime().start(launch, (c) => { out += c; });
  const info = await h.exited;
  return { code: info.exitCode, out, startError: info.startError };
}

describe('host runtime', () => {
  it('merges stdout and stderr in order and reports the exit code', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const r = await run(launchOf(dir, { name: 'a', command: ['sh', '-c'], args: ['echo one; echo two >&2; echo three; exit 7'] }));
    expect(r.out).toBe('one\ntwo\nthree\n');
    expect(r.code).toBe(7);
  });

  it('binds volumes read-write and read-only, the termination file and the helper', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const rw = path.join(dir, 'rw');
    const ro = path.join(dir, 'ro');
    mkdirSync(rw);
    mkdirSync(ro);
    writeFileSync(path.join(ro, 'in.txt'), 'from-host');
    const launch = launchOf(dir, {
      name: 'b', command: ['/bin/sh', '-c'],
      args: ['cat /data/in.txt; echo written > /work/out.txt; touch /data/x 2>/dev/null || echo ro-ok; printf msg > /dev/termination-log; test -x /tektite/entrypoint && echo helper-ok'],
      mounts: [{ hostPath: rw, containerPath: '/work', readOnly: false }, { hostPath: ro, containerPath: '/data', readOnly: true }],
    });
    const r = await run(launch);
    expect(r.out).toBe('from-hostro-ok\nhelper-ok\n');
    expect(readFileSync(path.join(rw, 'out.txt'), 'utf8')).toBe('written\n');
    expect(readFileSync(launch.termination.hostPath, 'utf8')).toBe('msg');
    expect(r.code).toBe(0);
  });

  it('sets env (with PATH and HOME defaults), hostname, working dir, and hides host paths', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const r = await run(launchOf(dir, {
      name: 'c', command: ['sh', '-c', 'echo "$FOO|$HOME|$PATH"; hostname; pwd; touch $HOME/h && echo home-writable; test -e ' + dir + ' || echo hidden'],
      env: [['FOO', 'bar baz']], workingDir: '/some/dir',
    }));
    expect(r.out.split('\n')).toEqual([
      'bar baz|/root|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/tektite/bin', 'test-pod', '/some/dir', 'home-writable', 'hidden', '',
    ]);
  });

  it('mounts volumes at paths missing inside the read-only /etc and /usr, keeping their other entries', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const cfg = path.join(dir, 'cfg');
    const out = path.join(dir, 'out');
    mkdirSync(cfg);
    mkdirSync(out);
    writeFileSync(path.join(cfg, 'a.conf'), 'conf-a');
    const r = await run(launchOf(dir, {
      name: 'etc', command: ['sh', '-c', 'cat /etc/tektite-cfg/a.conf; echo; test -f /etc/passwd && echo passwd; echo w > /usr/local/tektite-out/f; pwd; touch /etc/x 2>/dev/null || echo etc-ro'],
      workingDir: '/usr/share/tektite-wd',
      mounts: [{ hostPath: cfg, containerPath: '/etc/tektite-cfg', readOnly: true }, { hostPath: out, containerPath: '/usr/local/tektite-out', readOnly: false }],
    }));
    expect(r.out).toBe('conf-a\npasswd\n/usr/share/tektite-wd\netc-ro\n');
    expect(readFileSync(path.join(out, 'f'), 'utf8')).toBe('w\n');
  });

  it('runs as another user with runAsUser', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const vol = path.join(dir, 'v');
    mkdirSync(vol, { mode: 0o777 });
    const r = await run(launchOf(dir, { name: 'd', command: ['sh', '-c', 'id -u; touch /v/f && echo ok'], runAsUser: 1001, mounts: [{ hostPath: vol, containerPath: '/v', readOnly: false }] }));
    expect(r.out).toBe('1001\nok\n');
    expect(statSync(path.join(vol, 'f')).isFile()).toBe(true);
  });

  it('fails a container with neither command nor args with a clear message', async (ctx) => {
    if (!available) return ctx.skip();
    const r = await run(launchOf(scratch(), { name: 'e' }));
    expect(r.code).toBe(128);
    expect(r.startError).toMatch(/neither command nor args/);
  });

  it('kill() ends a sleeping container and its children', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    let out = '';
    const h = await new HostRuntime().start(launchOf(dir, { name: 'f', command: ['sh', '-c', 'sleep 300 & echo started; wait'] }), (c) => { out += c; });
    await expect.poll(() => out).toContain('started');
    await h.kill();
    const info = await h.exited;
    expect(info.exitCode).toBeGreaterThan(128);
  });

  it('kill() right after start (racing the sandbox setup) leaves no process behind', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const handles = await Promise.all([0, 1, 2].map((i) => new HostRuntime().start(launchOf(dir, { name: `k${i}`, command: ['sleep', '3019'] }), () => undefined)));
    await Promise.all(handles.map((h) => h.kill()));
    await expect.poll(() => hostProcs('sleep 3019').length, { timeout: 10_000 }).toBe(0);
  });

  it('exec runs a command with the same mounts', async (ctx) => {
    if (!available) return ctx.skip();
    const dir = scratch();
    const vol = path.join(dir, 'shared');
    mkdirSync(vol);
    const h = await new HostRuntime().start(launchOf(dir, { name: 'g', command: ['sleep', '300'], mounts: [{ hostPath: vol, containerPath: '/shared', readOnly: false }] }), () => undefined);
    try {
      expect(await h.exec(['sh', '-c', 'touch /shared/probe'], 5000)).toBe(0);
      expect(statSync(path.join(vol, 'probe')).isFile()).toBe(true);
      expect(await h.exec(['sh', '-c', 'exit 3'], 5000)).toBe(3);
    } finally {
      await h.kill();
    }
  });
});

/** Host pids whose command line is exactly `cmd`. */
function hostProcs(cmd: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') === cmd) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}
