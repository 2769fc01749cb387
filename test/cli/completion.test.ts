/** `tkt completion bash|zsh`: the generated bash script completes commands, aliases, subcommands and flags. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tkt } from './helpers/io.js';

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
