/** `tkt completion bash|zsh`: the generated bash script completes commands, aliases, subcommands and flags. */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tkt } from './helpers/io.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tkt.js');
const hasBash = ((): boolean => {
  try {
    execFileSync('bash', ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
})();

async function complete(words: string[]): Promise<string[]> {
  const script = (await tkt(['completion', 'bash'])).stdout;
  const line = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tkt_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', line], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe.skipIf(!hasBash)('completion', () => {
  it('completes top-level commands', async () => {
    expect(await complete(['tkt', 'pi'])).toEqual(['pipeline', 'pipelinerun']);
  });
  it('completes subcommands after a command or its alias', async () => {
    expect(await complete(['tkt', 'pr', 'l'])).toEqual(['list', 'logs']);
    expect(await complete(['tkt', 'pipelinerun', 'de'])).toEqual(['delete', 'describe']);
  });
  it('completes flags of a subcommand, global flags included', async () => {
    const flags = await complete(['tkt', 'pr', 'logs', '--']);
    expect(flags).toEqual(expect.arrayContaining(['--follow', '--last', '--task', '--kubeconfig', '--namespace']));
  });
  it('zsh wraps the bash script with bashcompinit', async () => {
    const r = await tkt(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bashcompinit');
    expect(r.stdout).toContain('complete -o default -F _tkt_complete tkt');
  });
});

describe('completion of names and other shells', () => {
  it('tkt __complete: subcommands, flags, and object names after a command that takes one', async () => {
    const { startCliServer } = await import('./helpers/server.js');
    const srv = await startCliServer();
    try {
      await srv.client.create({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'build', namespace: 'default' }, spec: { tasks: [{ name: 'a', taskRef: { name: 't' } }] } } as never);
      await srv.client.create({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'bump', namespace: 'default' }, spec: { tasks: [{ name: 'a', taskRef: { name: 't' } }] } } as never);
      const k = ['--kubeconfig', srv.kubeconfig];
      expect((await tkt(['__complete', ...k, 'p', 'start', 'bu'])).stdout).toBe('build\nbump\n');
      expect((await tkt(['__complete', ...k, 'p', 'describe', 'bui'])).stdout).toBe('build\n');
      expect((await tkt(['__complete', ...k, '-n', 'other', 'p', 'describe', ''])).stdout).toBe('');
      expect((await tkt(['__complete', 'pr', 'lo'])).stdout).toBe('logs\n');
      expect((await tkt(['__complete', 'pr', 'logs', '--fo'])).stdout).toBe('--follow\n');
      expect((await tkt(['__complete', 'p', 'describe', 'x'], { env: {} })).stderr).toBe('');
      if (hasBash) {
        const shim = fs.mkdtempSync(path.join(os.tmpdir(), 'tkt-shim-'));
        fs.writeFileSync(path.join(shim, 'tkt'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
        const script = (await tkt(['completion', 'bash'])).stdout;
        const words = ['tkt', '--kubeconfig', srv.kubeconfig, 'pipeline', 'describe', 'bu'];
        const line = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tkt_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
        // async: the API server answering the shim's tkt runs in this process
        const { stdout: out } = await promisify(execFile)('bash', ['-c', line], { encoding: 'utf8', env: { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` } });
        expect(out.split('\n').filter(Boolean).sort()).toEqual(['build', 'bump']);
      }
    } finally {
      await srv.close();
    }
  });

  it.each(['fish', 'powershell'])('%s script asks tkt __complete', async (shell) => {
    const r = await tkt(['completion', shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tkt __complete');
  });
});
