import { describe, expect, it } from 'vitest';
import { mergeArtifacts, parseArtifacts } from './artifacts.js';

describe('artifacts', () => {
  it('parses provenance JSON and refuses other text', () => {
    expect(parseArtifacts('{"inputs":[{"name":"a","values":[{"uri":"u"}]}]}')).toEqual({ inputs: [{ name: 'a', values: [{ uri: 'u' }] }] });
    expect(parseArtifacts('not json')).toBeUndefined();
    expect(parseArtifacts('[1]')).toBeUndefined();
  });

  it("merges as Tekton's Artifacts.Merge: values de-duplicated per name, buildOutput sticks", () => {
    const a = { outputs: [{ name: 'img', values: [{ uri: 'x', digest: { sha256: '1', sha1: '2' } }] }] };
    const b = { inputs: [{ name: 'src', values: [{ uri: 's' }] }], outputs: [{ name: 'img', buildOutput: true, values: [{ uri: 'x', digest: { sha1: '2', sha256: '1' } }, { uri: 'y' }] }] };
    expect(mergeArtifacts(a, b)).toEqual({
      inputs: [{ name: 'src', values: [{ uri: 's' }] }],
      outputs: [{ name: 'img', buildOutput: true, values: [{ uri: 'x', digest: { sha256: '1', sha1: '2' } }, { uri: 'y' }] }],
    });
    expect(mergeArtifacts(undefined, undefined)).toEqual({});
  });
});
