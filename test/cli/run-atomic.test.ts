/**
 * `tkt run` is atomic: every document is dry-run on the server before the first write, so a document the
 * server rejects (here a ConfigMap key the client does not check) leaves nothing stored in --data-dir, not
 * even the namespace created for the documents. Noop runtime: no pod runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/embedded/apiserver/index.js';
import { tkt } from './helpers/io.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-atomic-'));
  dirs.push(d);
  return d;
}

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: hello, namespace: atomic}
spec:
  steps: [{name: s, image: busybox, script: echo hi}]
`;
const BAD_CM = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: atomic}
data: {"../escape": x}
`;
const RUN = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: hello-run, namespace: atomic}
spec: {taskRef: {name: hello}}
`;

function stored(dataDir: string): string[] {
  const store = openStore(dataDir);
  try {
    const out: string[] = [];
    for (const r of ['tekton.dev/tasks', 'tekton.dev/taskruns', '/configmaps', '/namespaces']) {
      for (const o of store.list(r, undefined)) out.push(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);
    }
    return out.sort();
  } finally {
    store.close();
  }
}

describe('tkt run is atomic', () => {
  it('stores nothing when a later document is rejected by the server, and names that document', async () => {
    const dir = workDir();
    fs.writeFileSync(path.join(dir, 'all.yaml'), [TASK, BAD_CM, RUN].join('---\n'));
    const dataDir = path.join(dir, 'data');
    const r = await tkt(['run', '-f', 'all.yaml', '--data-dir', dataDir, '--runtime', 'noop'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/all\.yaml: document 2.*ConfigMap "cfg" was rejected: .*data\[\.\.\/escape\]/);
    const left = stored(dataDir);
    expect(left.filter((k) => !k.startsWith('Namespace/'))).toEqual([]);
    expect(left).not.toContain('Namespace//atomic');
  }, 60_000);

  it('runs the same documents once the bad one is fixed (the dry-run stores nothing, the real apply does)', async () => {
    const dir = workDir();
    fs.writeFileSync(path.join(dir, 'all.yaml'), [TASK, BAD_CM.replace('../escape', 'ok'), RUN].join('---\n'));
    const dataDir = path.join(dir, 'data');
    const r = await tkt(['run', '-f', 'all.yaml', '--data-dir', dataDir, '--runtime', 'noop'], { cwd: dir });
    expect(r.stderr).not.toContain('rejected');
    expect(r.code).toBe(0);
    expect(stored(dataDir)).toEqual(expect.arrayContaining(['ConfigMap/atomic/cfg', 'Task/atomic/hello', 'TaskRun/atomic/hello-run', 'Namespace//atomic']));
  }, 60_000);
});
