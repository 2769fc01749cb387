/**
 * Locates the shared conformance corpus and reads which files its README excludes, so the e2e walk runs
 * exactly what the corpus says is in scope (the exclusion table is data owned by the corpus, not by us).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** ../shared/conformance next to the repository, or undefined when it is not there. */
export function conformanceDir(): string | undefined {
  const dir = resolve(repoRoot, '..', 'shared', 'conformance');
  return existsSync(dir) ? dir : undefined;
}

/** Files listed in the README's "why excluded" table, as `<dir>/<file>.yaml` paths relative to tekton-examples. */
export function excludedExamples(dir: string): Set<string> {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const out = new Set<string>();
  for (const m of readme.matchAll(/^\|\s*([\w./-]+\.yaml)\s*\|/gm)) out.add(m[1]!);
  return out;
}

/** Every in-scope example of one folder (`taskruns` or `pipelineruns`), sorted. */
export function examplesIn(dir: string, folder: string): string[] {
  const excluded = excludedExamples(dir);
  const base = join(dir, 'tekton-examples', folder);
  return readdirSync(base)
    .filter((f) => f.endsWith('.yaml') && !excluded.has(`${folder}/${f}`))
    .sort()
    .map((f) => join(base, f));
}
