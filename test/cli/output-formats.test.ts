/** `-o jsonpath=...`, `-o jsonpath-file=...`, `-o go-template=...` and `-o go-template-file=...` on list and describe commands, as kubectl and tkn. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(go.stderr).toContain('error parsing template {{range .items}}: missing {{end}}');
  });
});

describe('-o go-template', () => {
  it('pr list, pr describe, tr list, and go-template-file', async () => {
    const list = await tkt(['pr', 'list', '-o', 'go-template={{range .items}}{{.metadata.name}} {{(index .status.conditions 0).reason}}{{"\\n"}}{{end}}', ...k()]);
    expect(list.stderr).toBe('');
    expect(list.stdout).toBe('shape Succeeded\n');
    expect((await tkt(['pr', 'describe', 'shape', '-o', 'template={{.kind}}/{{.metadata.name}} tasks={{len .spec.pipelineSpec.tasks}}', ...k()])).stdout).toBe('PipelineRun/shape tasks=2');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-gt-')), 't.tmpl');
    fs.writeFileSync(file, '{{range $i, $t := .spec.pipelineSpec.tasks}}{{if $i}},{{end}}{{$t.name}}{{end}}\n');
    expect((await tkt(['pr', 'describe', 'shape', '-o', `go-template-file=${file}`, ...k()])).stdout).toBe('one,two\n');
    expect((await tkt(['pr', 'describe', 'shape', '-o', 'go-template={{.metadata.nope}}', ...k()])).stdout).toBe('<no value>');
  });
});
