/**
 * The catalog's layout and metadata, as the Tekton catalog requires them: catalog/task/<name>/<version>/<name>.yaml
 * holding one valid Task named <name>, the version label matching the directory, the minVersion annotation, and a
 * README with params, results, workspaces and an example. Every Task must also have a test in test/catalog.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Task } from '../../src/api/types.js';
import { validateObject } from '../../src/api/validate/index.js';
import { repoRoot } from './harness.js';

const root = join(repoRoot, 'catalog', 'task');
const entries = readdirSync(root).flatMap((name) => readdirSync(join(root, name)).map((version) => ({ name, version })));

describe('catalog layout', () => {
  it('has the Tasks issue 7 asks for', () => {
    const names = new Set(entries.map((e) => e.name));
    for (const n of ['git-clone', 'git-cli', 'buildah', 'kaniko', 'yq', 'gitops-bump', 'npm', 'kubectl-dry-run']) expect(names).toContain(n);
  });

  for (const { name, version } of entries) {
    describe(`${name} ${version}`, () => {
      const dir = join(root, name, version);
      it('is one valid Task named after its directory, labelled with its version', () => {
        const docs = parseAllDocuments(readFileSync(join(dir, `${name}.yaml`), 'utf8')).map((d) => d.toJS() as Task);
        expect(docs).toHaveLength(1);
        const task = docs[0]!;
        expect(validateObject(task).errors).toEqual([]);
        expect(task).toMatchObject({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name } });
        expect(task.metadata.labels?.['app.kubernetes.io/version']).toBe(version);
        expect(task.metadata.annotations?.['tekton.dev/pipelines.minVersion']).toMatch(/^\d+\.\d+\.\d+$/);
        expect(task.metadata.annotations?.['tekton.dev/categories']).toBeTruthy();
      });
      it('has a README with params, results, workspaces and an example, and a test', () => {
        const readme = readFileSync(join(dir, 'README.md'), 'utf8');
        for (const h of ['## Params', '## Results', '## Workspaces', '## Example']) expect(readme).toContain(h);
        expect(existsSync(join(repoRoot, 'test', 'catalog', `${name}.test.ts`))).toBe(true);
      });
    });
  }
});
