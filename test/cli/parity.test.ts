/**
 * docs/cli.md's tkn parity table, every row run: the third column of each row is a tkt command line, run in table
 * order (in-process, like the other CLI tests) against a real embedded cluster (host runtime) seeded from
 * test/cli/fixtures/parity-world.yaml plus the runs the table names. Each must exit 0 and print something.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { startEmbedded, type Embedded } from '../../src/embedded/main.js';
import { repoRoot } from '../helpers/conformance.js';
import { tkt } from './helpers/io.js';

const V1 = 'tekton.dev/v1';

/** The rows of the parity table: [tkn, tkt, args]. */
export function parityRows(markdown: string): Array<{ tkn: string; args: string[] }> {
  const section = markdown.split('\n## tkn parity\n')[1]?.split('\n## ')[0] ?? '';
  const rows: Array<{ tkn: string; args: string[] }> = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| tkn |') || line.startsWith('|---')) continue;
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());
    const tested = /^`([^`]+)`$/.exec(cells[2] ?? '')?.[1];
    if (!tested) throw new Error(`parity row without a tested command: ${line}`);
    rows.push({ tkn: cells[0] ?? '', args: tested.split(/\s+/) });
  }
  return rows;
}

const rows = parityRows(readFileSync(path.join(repoRoot, 'docs', 'cli.md'), 'utf8'));

describe('tkn parity table (docs/cli.md)', () => {
  let world: Embedded;
  let dir: string;
  const k = (): string[] => ['--kubeconfig', world.kubeconfigPath];

  async function until(what: string, test: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 900; i++) {
      if (await test()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const condition = async (kind: string, name: string): Promise<string | undefined> => {
    const o = await world.client.tryGet<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>({ apiVersion: kind === 'CustomRun' ? 'tekton.dev/v1beta1' : V1, kind }, 'default', name);
    return o?.status?.conditions?.find((c) => c.type === 'Succeeded')?.status;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tkt-parity-'));
    world = await startEmbedded({ runtime: 'host', dataDir: path.join(dir, 'data') });
    const docs = parseAllDocuments(readFileSync(path.join(repoRoot, 'test/cli/fixtures/parity-world.yaml'), 'utf8'));
    for (const d of docs) await world.client.create(d.toJS() as KubeObject);
    const sleeper = { name: 'wait', image: 'busybox', script: 'sleep 300' };
    await world.client.create({ apiVersion: V1, kind: 'PipelineRun', metadata: { name: 'build-run-1', namespace: 'default', labels: { team: 'a' } }, spec: { pipelineRef: { name: 'build' }, workspaces: [{ name: 'source', emptyDir: {} }] } });
    await world.client.create({ apiVersion: V1, kind: 'TaskRun', metadata: { name: 'hello-run-1', namespace: 'default' }, spec: { taskRef: { name: 'hello' } } });
    await world.client.create({ apiVersion: V1, kind: 'PipelineRun', metadata: { name: 'slow-pr', namespace: 'default' }, spec: { pipelineSpec: { tasks: [{ name: 'slow', taskSpec: { steps: [sleeper] } }] } } });
    await world.client.create({ apiVersion: V1, kind: 'TaskRun', metadata: { name: 'slow-tr', namespace: 'default' }, spec: { taskSpec: { steps: [sleeper] } } });
    await world.client.create({ apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', metadata: { name: 'wait-1', namespace: 'default' }, spec: { customRef: { apiVersion: 'wait.testing.tekton.dev/v1beta1', kind: 'Wait' }, params: [{ name: 'duration', value: '0s' }] } });
    await until('build-run-1, hello-run-1 and wait-1 to finish', async () => (await condition('PipelineRun', 'build-run-1')) === 'True' && (await condition('TaskRun', 'hello-run-1')) === 'True' && (await condition('CustomRun', 'wait-1')) !== undefined && (await condition('CustomRun', 'wait-1')) !== 'Unknown');
    await until('slow-tr to run its step', async () => {
      const pod = await world.client.tryGet<Pod>({ apiVersion: 'v1', kind: 'Pod' }, 'default', 'slow-tr-pod');
      return ((pod?.status?.containerStatuses ?? []) as Array<{ state?: { running?: unknown } }>).some((s) => s.state?.running);
    });
    await until('slow-pr to run', async () => (await condition('PipelineRun', 'slow-pr')) === 'Unknown');
  }, 180_000);

  afterAll(async () => {
    await world?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has a row for every command group', () => {
    const groups = new Set(rows.map((r) => r.args[0]));
    for (const g of ['pr', 'p', 'tr', 't', 'cr', 'tt', 'tb', 'ctb', 'el', 'version', 'completion']) expect(groups).toContain(g);
    expect(rows.length).toBeGreaterThan(50);
  });

  it.each(rows.map((r) => [r.args.join(' '), r] as const))('tkt %s', async (_label, row) => {
    const r = await tkt([...k(), ...row.args], { cwd: repoRoot });
    expect(r.code, `${row.tkn}\n${r.stderr}`).toBe(0);
    expect(`${r.stdout}${r.stderr}`.trim().length, row.tkn).toBeGreaterThan(0);
  }, 120_000);
});
