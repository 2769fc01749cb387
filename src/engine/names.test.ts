import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { childName, claimNameForTemplate, podName, workspaceVolumeName } from './names.js';

// Expected values computed independently (python hashlib) from the knative and Tekton rules.
const table = parse(`
childName:
  - [run, -pod, run-pod]
  - ["${'a'.repeat(59)}", -pod, "${'a'.repeat(59)}-pod"]
  - ["${'a'.repeat(60)}", -pod, aaaaaaaaaaaaaaaaaaaaaaaaaaacc7ed669cf88f201c3297c6a91e1d18d-pod]
  - [my-very-long-pipelinerun-name-that-goes-on-and-on-and-on, -pod-retry1, my-very-long-pipelin94067adbee6a3852de481e9d5964abb8-pod-retry1]
  - [my-very-long-pipelinerun-name-that-goes-on-and-on-and-on, "-${'x'.repeat(40)}", my-very-long-pipelinerun-name-tf9d748f03cd9f2eb25dc6488df11d836]
podName:
  - [build, 0, build-pod]
  - [build, 1, build-pod-retry1]
  - [build, 12, build-pod-retry12]
claim:
  - [source, uid-123, null, pvc-7acae8264a]
  - [ws, uid-9, mytmpl, mytmpl-969924818e]
`) as { childName: Array<[string, string, string]>; podName: Array<[string, number, string]>; claim: Array<[string, string, string | null, string]> };

describe('childName', () => {
  it.each(table.childName)('%s + %s', (parent, suffix, want) => {
    const got = childName(parent, suffix);
    expect(got).toBe(want);
    expect(got.length).toBeLessThanOrEqual(63);
  });
});

describe('podName', () => {
  it.each(table.podName)('%s retry %d -> %s', (tr, retry, want) => expect(podName(tr, retry)).toBe(want));
});

describe('claimNameForTemplate', () => {
  it.each(table.claim)('%s/%s/%s -> %s', (ws, uid, tmpl, want) => expect(claimNameForTemplate(ws, uid, tmpl ?? undefined)).toBe(want));
});

describe('workspaceVolumeName', () => {
  it('is deterministic, ws-xxxxx shaped, and differs by workspace', () => {
    const a = workspaceVolumeName('source');
    expect(a).toMatch(/^ws-[a-z0-9]{5}$/);
    expect(workspaceVolumeName('source')).toBe(a);
    expect(workspaceVolumeName('cache')).not.toBe(a);
  });
});
