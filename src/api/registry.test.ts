import { describe, expect, it } from 'vitest';
import { KINDS, apiVersionOf, kindFor, kindForResource } from './registry.js';

describe('kind registry', () => {
  it('finds Tekton kinds by apiVersion/kind and by plural', () => {
    const pr = kindFor('tekton.dev/v1', 'PipelineRun');
    expect(pr?.plural).toBe('pipelineruns');
    expect(pr?.shortNames).toEqual(['pr', 'prs']);
    expect(kindForResource('tekton.dev', 'taskruns')?.kind).toBe('TaskRun');
    expect(kindFor('v1', 'Pod')?.group).toBe('');
    expect(kindFor('tekton.dev/v1', 'Nope')).toBeUndefined();
  });

  it('has unique plurals per group and well-formed apiVersions', () => {
    const seen = new Set<string>();
    for (const k of KINDS) {
      const key = `${k.group}/${k.plural}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(apiVersionOf(k)).toMatch(k.group ? /^[a-z0-9.]+\/v1(alpha1|beta1)?$/ : /^v1$/);
    }
  });
});
