import { describe, expect, it } from 'vitest';
import { placeScript, scriptInitArgs, withShebang } from './scripts.js';

describe('scripts', () => {
  it('prepends sh with set -e when there is no shebang', () => {
    expect(withShebang('echo hi')).toBe('#!/bin/sh\nset -e\necho hi');
    expect(withShebang('  # comment\necho hi')).toBe('#!/bin/sh\nset -e\n  # comment\necho hi');
  });

  it('keeps a shebang and drops whitespace before it', () => {
    expect(withShebang('#!/usr/bin/env bash\necho')).toBe('#!/usr/bin/env bash\necho');
    expect(withShebang('\n   #!/bin/bash\necho')).toBe('#!/bin/bash\necho');
  });

  it('names files deterministically per kind and index', () => {
    const a = placeScript('step', 0, 'echo a');
    expect(a.path).toMatch(/^\/tekton\/scripts\/script-0-[a-z0-9]{5}$/);
    expect(placeScript('step', 0, 'echo a')).toEqual(a);
    expect(placeScript('step', 0, 'echo b').path).not.toBe(a.path);
    expect(placeScript('sidecar', 2, 'echo a').path).toMatch(/^\/tekton\/scripts\/sidecar-script-2-[a-z0-9]{5}$/);
  });

  it('encodes scripts as base64 init arguments, UTF-8 intact', () => {
    const s = placeScript('step', 1, '#!/bin/sh\necho "ünï $HOME" \'x\'\n');
    const args = scriptInitArgs([s]);
    expect(args.slice(0, 2)).toEqual(['-script', s.path]);
    expect(Buffer.from(args[2] ?? '', 'base64').toString('utf8')).toBe(s.content);
  });
});
