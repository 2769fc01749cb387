/** Every command that talks to the API server exits 3 with one line and no stack when it cannot reach it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tkt } from './helpers/io.js';
import { startCliServer } from './helpers/server.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let kubeconfig: string;
let dir: string;

beforeAll(async () => {
  const srv = await startCliServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-unreachable-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  fs.copyFileSync(srv.kubeconfig, kubeconfig);
  await srv.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('API server unreachable', () => {
  it.each([
    ['pr', 'list'], ['pr', 'describe', 'x'], ['pr', 'logs', 'x'], ['pr', 'logs', '-f', 'x'], ['pr', 'cancel', 'x'], ['pr', 'delete', 'x', '-f'],
    ['tr', 'list'], ['tr', 'describe', 'x'], ['tr', 'logs', '-f', 'x'], ['tr', 'cancel', 'x'], ['tr', 'delete', 'x', '-f'],
    ['p', 'list'], ['p', 'describe', 'x'], ['p', 'start', 'x'], ['p', 'delete', 'x', '-f'],
    ['t', 'list'], ['t', 'describe', 'x'], ['t', 'start', 'x'], ['t', 'delete', 'x', '-f'],
    ['el', 'list'], ['el', 'describe', 'x'], ['controller'], ['el', '--name', 'x'],
  ])('%s %s %s exits 3', async (...args) => {
    const r = await tkt([...args, '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Error: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+\/: connect ECONNREFUSED/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain('    at ');
  });

  it('--debug adds the stack', async () => {
    const r = await tkt(['pr', 'list', '--kubeconfig', kubeconfig, '--debug']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('    at ');
  });
});
