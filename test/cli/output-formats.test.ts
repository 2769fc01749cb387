/** `-o jsonpath=…`, `jsonpath-file=`, `jsonpath-as-json=`, `go-template=…` (and `template=`, `--template`, file forms) on list and describe commands, as kubectl and tkn. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from './helpers/golden.js';
import { tkt } from './helpers/io.js';
import { startCliServer, type CliTestServer } from './helpers/server.js';
import { World } from './helpers/world.js';

let srv: CliTestServer;
beforeAll(async () => {
  srv = await startCliServer();
  const w = new World(srv, 'shape', ['one', 'two']);
  await w.start();
  await w.end(true);
});
afterAll(async () => srv?.close());
const k = (): string[] => ['--kubeconfig', srv.kubeconfig];

describe('-o jsonpath', () => {
  it('pr list', async () => {
    const r = await tkt(['pr', 'list', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[0].reason}{"\\n"}{end}', ...k()]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('shape=Succeeded\n');
  });

  it('pr describe, and jsonpath-file', async () => {
    expect((await tkt(['pr', 'describe', 'shape', '-o', 'jsonpath={.spec.pipelineSpec.tasks[*].name}', ...k()])).stdout).toBe('one two');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-jp-')), 't.txt');
    fs.writeFileSync(file, '{.metadata.name}');
    expect((await tkt(['pr', 'describe', 'shape', '-o', `jsonpath-file=${file}`, ...k()])).stdout).toBe('shape');
  });

  it('a bad template is a usage error that names the problem', async () => {
    const bad = await tkt(['pr', 'list', '-o', 'jsonpath={range .items[*]}', ...k()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('{range} without {end}');
    const go = await tkt(['pr', 'list', '-o', 'go-template={{range .items}}', ...k()]);
    expect(go.code).toBe(2);
    expect(go.stderr).toBe('Error: error parsing go-template: unexpected EOF: {{range}} without {{end}}\n');
    const none = await tkt(['pr', 'list', '-o', 'go-template', ...k()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no template given');
    const unknown = await tkt(['pr', 'list', '-o', 'wide', ...k()]);
    expect(unknown.stderr).toContain('allowed formats are: json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file');
  });

  it('jsonpath-as-json, and missing keys with --allow-missing-template-keys=false', async () => {
    const r = await tkt(['pr', 'list', '-o', 'jsonpath-as-json={.items[*].metadata.name}', ...k()]);
    expect(r.stdout).toBe('[\n    "shape"\n]\n');
    expect((await tkt(['pr', 'describe', 'shape', '-o', 'jsonpath={.nope}', ...k()])).stdout).toBe('');
    const strict = await tkt(['pr', 'describe', 'shape', '-o', 'jsonpath={.nope}', '--allow-missing-template-keys=false', ...k()]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('nope is not found');
  });
});

describe('-o go-template', () => {
  const table = '{{range .items}}{{.metadata.name}}\t{{range .status.conditions}}{{if eq .type "Succeeded"}}{{.reason}}{{end}}{{end}}\t{{len .spec.pipelineSpec.tasks}} tasks\n{{end}}';

  it('pr list with a table template (golden), the same through template= and --template', async () => {
    const r = await tkt(['pr', 'list', '-o', `go-template=${table}`, ...k()]);
    expect(r.stderr).toBe('');
    expectGolden('pr-list-go-template.txt', r.stdout);
    expect((await tkt(['pr', 'list', '-o', `template=${table}`, ...k()])).stdout).toBe(r.stdout);
    expect((await tkt(['pr', 'list', '-o', 'go-template', '--template', table, ...k()])).stdout).toBe(r.stdout);
  });

  it('go-template-file / templatefile, and a missing key as <no value> or an error', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-gt-')), 't.tmpl');
    fs.writeFileSync(file, '{{.metadata.name}} {{.metadata.nope}}\n');
    expect((await tkt(['pr', 'describe', 'shape', '-o', `go-template-file=${file}`, ...k()])).stdout).toBe('shape <no value>\n');
    expect((await tkt(['pr', 'describe', 'shape', '-o', `templatefile=${file}`, ...k()])).stdout).toBe('shape <no value>\n');
    const strict = await tkt(['pr', 'describe', 'shape', '-o', `go-template-file=${file}`, '--allow-missing-template-keys=false', ...k()]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toBe('Error: error executing go-template: map has no entry for key "nope"\n');
  });

  it('on every kind of command with -o: task/pipeline/trigger resources, customruns, start --dry-run, export', async () => {
    const r = await tkt(['pr', 'export', 'shape', '-o', 'go-template={{.kind}}/{{.metadata.name}} {{.status}}', ...k()]);
    expect(r.stdout).toBe('PipelineRun/shape <no value>');
    expect((await tkt(['cr', 'list', '-o', 'go-template={{.kind}}', ...k()])).stdout).toBe('CustomRunList');
    expect((await tkt(['tt', 'list', '-o', 'go-template={{len .items}}', ...k()])).stdout).toBe('0');
  });
});
