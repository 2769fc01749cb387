/**
 * `tkt run` end to end, in-process: embedded mode with the host runtime (bubblewrap) runs real steps. Skipped
 * where bubblewrap is missing. Input errors are checked without any runtime (nothing starts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tkt } from './helpers/io.js';

const FIX = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fx = (name: string): string => path.join(FIX, name);
const hasBwrap = ((): boolean => {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const host = ['--runtime', 'host'];

describe('tkt run: a wide pipeline', () => {
  it('follows the logs of 14 tasks without piling listeners on its abort signal (no MaxListenersExceededWarning)', async () => {
    const tasks = Array.from({ length: 14 }, (_, i) => `    - name: t${i}\n      taskSpec:\n        steps:\n          - {name: s, image: busybox, script: 'echo ${i}'}\n`).join('');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-wide-'));
    const file = path.join(dir, 'wide.yaml');
    fs.writeFileSync(file, `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {generateName: wide-}\nspec:\n  pipelineSpec:\n    tasks:\n${tasks}`);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(`${w.name}: ${w.message}`); };
    process.on('warning', onWarning);
    try {
      const r = await tkt(['run', '-f', file, '--runtime', 'noop']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/PipelineRun wide-\w+ +Succeeded/);
      await new Promise((done) => setImmediate(done));
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tkt run: input errors (exit 2, nothing started)', () => {
  it('invalid YAML names the file and document', async () => {
    const r = await tkt(['run', '-f', fx('invalid-yaml.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid-yaml\.yaml: document 1 \(line \d+\): invalid YAML/);
  });
  it('an invalid field names the file, document, object and field path', async () => {
    const r = await tkt(['run', '-f', fx('invalid-field.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid-field\.yaml: document 2 \(line \d+\): Pipeline "broken": spec\.tasks\[0\]\.runAfterr/);
  });
  it('a missing required param lists what the Pipeline expects', async () => {
    const r = await tkt(['run', '-f', fx('pipeline-fails.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: Pipeline "fails" needs a value for param(s) "code". It expects:\n  code (string, required)\nGive values with -p name=value.\n');
  });
  it('-p with files that already contain runs, missing files, several Pipelines', async () => {
    expect((await tkt(['run', '-f', fx('two-runs.yaml'), '-p', 'a=b'])).stderr).toContain('-p and -w apply to the run generated');
    expect((await tkt(['run', '-f', fx('nope.yaml')])).code).toBe(2);
    expect((await tkt(['run'])).stderr).toContain("required option '-f, --filename <path>' not specified");
    expect((await tkt(['run', '-f', fx('sleeper.yaml'), '--timeout', 'soon'])).stderr).toContain('invalid --timeout "soon"');
  });
});

describe('tkt run --feature-flags', () => {
  it('refuses what tektite does not honour, before anything starts (exit 2)', async () => {
    const r = await tkt(['run', '-f', fx('sleeper.yaml'), '--feature-flags', 'coschedule=pipelineruns', '--feature-flags', 'results-from=disk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe([
      'Error: --feature-flags: coschedule: "pipelineruns" is not supported by tektite (the affinity assistant does not apply (one node))',
      '--feature-flags: results-from must be "termination-message" or "sidecar-logs", got "disk"',
      '',
    ].join('\n'));
  });
});

describe('tkt run -f DIR: files that are not Tekton YAML', () => {
  it('are skipped with a line naming each when found in a directory; named on the command line they are errors', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-dir-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name": "app", "version": "1.0.0"}\n');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n');
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec: {stepz: []}\n');
    const r = await tkt(['run', '-f', dir]);
    expect(r.stderr).toContain(`skipping ${path.join(dir, 'package.json')}: not Tekton or Kubernetes YAML\n`);
    expect(r.stderr).toContain(`skipping ${path.join(dir, 'kustomization.yaml')}: not Tekton or Kubernetes YAML\n`);
    expect(r.stderr).toMatch(/broken\.yaml: document 1 \(line 1\): Task "t": spec\.stepz/); // a Tekton file with an error is not skipped
    expect(r.code).toBe(2);
    const named = await tkt(['run', '-f', path.join(dir, 'package.json')]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('missing apiVersion and kind');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe.skipIf(!hasBwrap)('tkt run with the host runtime', () => {
  it('a failing pipeline: logs, summary with failure message and skip reasons, exit 1', async () => {
    const r = await tkt(['run', '-f', fx('pipeline-fails.yaml'), '-p', 'code=3', ...host]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[a : s1] one\n[a : s1] two\n');
    expect(r.stdout).toContain('[b : boom] failing with 3\n');
    expect(r.stdout).not.toContain('[c : x]');
    expect(r.stdout).toMatch(/\nSummary\nPipelineRun fails-run-\w+ +Failed +\d+s +Tasks Completed: 2 \(Failed: 1, Cancelled 0\), Skipped: 2\n/);
    expect(r.stdout).toMatch(/\n {2}b +Failed +\d+s +"step-boom" exited with code 3\n/);
    expect(r.stdout).toMatch(/\n {2}c +Skipped +--- +\S/);
    expect(r.stderr).toContain('task b has failed: "step-boom" exited with code 3');
  });

  it('-o json: the final run on stdout, logs on stderr, exit 0', async () => {
    const r = await tkt(['run', '-f', fx('pipeline-fails.yaml'), '-p', 'code=0', '-o', 'json', ...host]);
    expect(r.code).toBe(0);
    const pr = JSON.parse(r.stdout) as { kind: string; status: { conditions: Array<{ status: string }> } };
    expect(pr.kind).toBe('PipelineRun');
    expect(pr.status.conditions[0]?.status).toBe('True');
    expect(r.stderr).toContain('[b : after] never');
  });

  it('several runs: run names in prefixes, a List with -o json', async () => {
    const r = await tkt(['run', '-f', fx('two-runs.yaml'), '-o', 'json', ...host]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('[first : say] from first\n');
    expect(r.stderr).toContain('[second : hi : say] from second\n');
    const list = JSON.parse(r.stdout) as { kind: string; items: Array<{ metadata: { name: string } }> };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['first', 'second']);
  });

  it('a lone Task with array/object params and a dir= workspace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-run-dir-'));
    const r = await tkt(['run', '-f', fx('task-writer.yaml'), '-p', 'items=x,y,z', '-p', 'obj=a:1, b:2', '-w', 'out=dir=out', ...host], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[write] a=1 b=2\n[write] x y z\n');
    expect(r.stdout).toMatch(/Summary\nTaskRun writer-run-\w+ +Succeeded/);
    expect(fs.readFileSync(path.join(dir, 'out', 'hello.txt'), 'utf8')).toBe('x y z\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--timeout cancels the runs and exits 1', async () => {
    const r = await tkt(['run', '-f', fx('sleeper.yaml'), '--timeout', '3s', ...host]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[nap : sleep] going to sleep\n');
    expect(r.stdout).not.toContain('woke up');
    expect(r.stderr).toContain('timed out after 3s: cancelling the runs');
    expect(r.stdout).toMatch(/Summary\nthe runs timed out and were cancelled\nPipelineRun sleeper-\w+ +Cancelled/);
  });
});
