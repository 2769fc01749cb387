/**
 * Every document of Tekton's and Triggers' own example suites must load and validate with zero errors:
 * they are valid Tekton, so a failure here means our schema or checks are wrong, never the example.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/api/load.js';
import { kindFor } from '../../src/api/registry.js';
import { validateObject } from '../../src/api/validate/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../../shared/conformance');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  }).sort();
}

/**
 * The corpus keeps upstream's git symlinks as one-line files holding the target path ("../../rbac.yaml").
 * Follow them when the target is in the corpus; answer undefined when it is not (nothing to validate).
 */
function contentOf(file: string): string | undefined {
  const text = readFileSync(file, 'utf8');
  if (!/^\.{1,2}\/[^\n]*\.ya?ml\s*$/.test(text)) return text;
  const target = resolve(dirname(file), text.trim());
  return existsSync(target) ? contentOf(target) : undefined;
}

function problemsOf(file: string, onlyRegistryKinds: boolean): string[] {
  const text = contentOf(file);
  if (text === undefined) return [];
  const { objects, errors } = parseManifests(text, relative(corpus, file));
  const out = [...errors];
  for (const o of objects) {
    if (onlyRegistryKinds && !kindFor(o.apiVersion, o.kind)) continue;
    const r = validateObject(o);
    for (const e of r.errors) out.push(`${o.kind}/${o.metadata.name ?? o.metadata.generateName}: ${e.path}: ${e.message}`);
  }
  return out;
}

for (const [suite, onlyRegistryKinds] of [['tekton-examples', false], ['triggers-examples', true]] as const) {
  const dir = join(corpus, suite);
  const present = existsSync(dir);
  if (!present) console.log(`skipping ${suite}: ${dir} is missing`);
  describe.skipIf(!present)(`${suite} validate with zero errors`, () => {
    const files = present ? yamlFiles(dir) : [];
    it('has examples', () => expect(files.length).toBeGreaterThan(10));
    it.each(files.map((f) => [relative(dir, f), f]))('%s', (_name, file) => {
      expect(problemsOf(file, onlyRegistryKinds)).toEqual([]);
    });
  });
}
