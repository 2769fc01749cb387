/**
 * Durability: a child process writes PipelineRuns through its own API server on a SQLite data dir and is
 * SIGKILLed mid-stream; a server restarted on the same dir has every acknowledged object, resourceVersions keep
 * increasing, and watches can resume across the restart from the persisted event log.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../src/embedded/apiserver/index.js';
import { FileLogStore } from '../../src/embedded/logs.js';
import { streamLines } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-durable-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const N = 200;

/** Runs the writer until it has acknowledged at least N writes, then SIGKILLs it; answers the acks. */
function writeThenKill(): Promise<Map<string, number>> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'durability-writer.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acks = new Map<string, number>();
  let buf = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        const [name, rv] = l.split(' ');
        acks.set(name as string, Number(rv));
      }
      if (acks.size >= N && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

describe('SQLite durability', () => {
  it('keeps every acknowledged write across SIGKILL, and resourceVersions keep increasing', async () => {
    const acks = await writeThenKill();
    expect(acks.size).toBeGreaterThanOrEqual(N);
    const maxRv = Math.max(...acks.values());
    const api = await startApiServer({ dataDir: path.join(dir, 'data'), logs: new FileLogStore(path.join(dir, 'logs')) });
    try {
      for (const [name, rv] of acks) {
        const obj = api.store.get('tekton.dev/pipelineruns', 'default', name);
        expect(obj?.metadata.resourceVersion, name).toBe(String(rv));
      }
      expect(api.store.resourceVersion()).toBeGreaterThanOrEqual(maxRv);
      const before = api.store.resourceVersion();
      const w = streamLines(api, `/apis/tekton.dev/v1/namespaces/default/pipelineruns?watch=true&resourceVersion=${maxRv - 5}`);
      const events = await w.next(5);
      w.close();
      expect(events.map((e) => (JSON.parse(e) as { type: string }).type)).toEqual(['ADDED', 'ADDED', 'ADDED', 'ADDED', 'ADDED']);
      const made = api.store.create('tekton.dev/pipelineruns', { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'after-restart', namespace: 'default' } });
      expect(Number(made.metadata.resourceVersion)).toBe(before + 1);
    } finally {
      await api.close();
    }
  });
});
