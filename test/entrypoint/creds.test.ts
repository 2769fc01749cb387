/**
 * The step helper's credential initialisation (Tekton's creds-init): files written into the creds dir from the
 * mounted Secrets, in Tekton's formats, then copied into $HOME before the step's command runs.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildHelper, runHelper, stepFlags, tempDir } from './harness.js';

let dir = '';
let cleanup = (): void => {};

beforeAll(() => buildHelper());
beforeEach(() => {
  ({ dir, cleanup } = tempDir('tkt-creds-'));
  mkdirSync(join(dir, 'results'));
});
afterEach(() => cleanup());

function secret(name: string, data: Record<string, string>): void {
  mkdirSync(join(dir, 'secrets', name), { recursive: true });
  for (const [k, v] of Object.entries(data)) writeFileSync(join(dir, 'secrets', name, k), v);
}

const creds = (rel: string): string => readFileSync(join(dir, 'creds', rel), 'utf8');
const home = (): string => join(dir, 'home', 'user');

async function run(flags: string[], command = ['true']) {
  const dirs = ['-creds_dir', join(dir, 'creds'), '-creds_secrets_dir', join(dir, 'secrets')];
  return runHelper([...stepFlags(dir, 0), ...dirs, ...flags, '--', ...command], { env: { ...process.env, HOME: home() } });
}

describe('creds-init in the step helper', () => {
  it('writes .gitconfig and .git-credentials for basic-auth git, host-wide entries first', async () => {
    secret('repo', { username: 'alice', password: 'p@ss:/1' });
    secret('host', { username: 'bob\\x', password: 'tok' });
    const o = await run(['-basic-git=repo=https://git.example.com/org/repo', '-basic-git', 'host=https://git.example.com']);
    expect(o.code, o.stderr).toBe(0);
    expect(creds('.gitconfig')).toBe('[credential]\n\thelper = store\n' +
      '[credential "https://git.example.com/org/repo"]\n\tusername = alice\n\tuseHttpPath = true\n' +
      '[credential "https://git.example.com"]\n\tusername = bob\\\\x\n');
    expect(creds('.git-credentials')).toBe('https://bob%5Cx:tok@git.example.com\nhttps://alice:p%40ss%3A%2F1@git.example.com/org/repo\n');
    expect(statSync(join(dir, 'creds', '.git-credentials')).mode & 0o777).toBe(0o600);
  });

  it('writes .ssh/config, id_<secret> and known_hosts; repo-specific keys get a Host alias and insteadOf', async () => {
    secret('k1', { 'ssh-privatekey': 'KEY1\n', known_hosts: 'h1 ssh-ed25519 AAA\n' });
    secret('k2', { 'ssh-privatekey': 'KEY2\n' });
    const o = await run(['-ssh-git=k2=example.com:2222/org/repo', '-ssh-git=k1=example.com:2222']);
    expect(o.code, o.stderr).toBe(0);
    const idDir = join(dir, 'creds', '.ssh');
    expect(creds('.ssh/config')).toBe(
      `Host example.com\n    HostName example.com\n    Port 2222\n    IdentityFile ${idDir}/id_k1\n` +
      `Host example.com--org--repo\n    HostName example.com\n    Port 2222\n    IdentityFile ${idDir}/id_k2\n`);
    expect(creds('.ssh/id_k1')).toBe('KEY1\n');
    expect(creds('.ssh/known_hosts')).toBe('h1 ssh-ed25519 AAA\n');
    expect(creds('.gitconfig')).toBe('[url "git@example.com--org--repo:org/repo.git"]\n\tinsteadOf = git@example.com:org/repo.git\n' +
      '[url "ssh://example.com--org--repo/org/repo.git"]\n\tinsteadOf = ssh://example.com:2222/org/repo.git\n');
  });

  it('merges dockercfg, dockerconfigjson and basic-auth docker entries into .docker/config.json', async () => {
    secret('cfg', { '.dockercfg': '{"old.io": {"auth": "b2xk", "email": "a@b"}, "reg.io": {"auth": "bG9zZXI="}}' });
    secret('json', { '.dockerconfigjson': '{"auths": {"reg.io": {"auth": "d2lu", "identitytoken": "dropped"}}}' });
    secret('basic', { username: 'u', password: 'p' });
    const o = await run(['-docker-cfg=cfg', '-docker-config=json', '-basic-docker=basic=https://gcr.io']);
    expect(o.code, o.stderr).toBe(0);
    expect(JSON.parse(creds('.docker/config.json'))).toEqual({
      auths: {
        'https://gcr.io': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64'), email: 'not@val.id' },
        'old.io': { auth: 'b2xk', email: 'a@b' },
        'reg.io': { auth: 'd2lu' },
      },
    });
  });

  it('copies the creds dir into $HOME (created when missing) before the command runs', async () => {
    secret('basic', { username: 'u', password: 'p' });
    secret('k', { 'ssh-privatekey': 'KEY\n' });
    const o = await run(['-basic-git=basic=https://h', '-ssh-git=k=h', '-basic-docker=basic=https://r'],
      ['sh', '-c', 'cat "$HOME/.git-credentials"; ls "$HOME/.ssh" "$HOME/.docker"']);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toContain('https://u:p@h');
    expect(o.stdout).toContain('id_k');
    expect(o.stdout).toContain('config.json');
    expect(statSync(join(home(), '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home(), '.gitconfig')).mode & 0o777).toBe(0o600);
  });

  it('copies nothing and runs normally when there are no credentials', async () => {
    mkdirSync(join(dir, 'creds'));
    const o = await run([], ['sh', '-c', 'echo ok']);
    expect(o.code).toBe(0);
    expect(o.stdout).toBe('ok\n');
    expect(existsSync(home())).toBe(false);
  });

  it('reports a malformed docker config Secret and still writes the git credentials', async () => {
    secret('json', { '.dockerconfigjson': '{"auths": {"reg.io": ' });
    secret('basic', { username: 'u', password: 'p' });
    const o = await run(['-docker-config=json', '-basic-git=basic=https://h'], ['sh', '-c', 'cat "$HOME/.git-credentials"']);
    expect(o.code).toBe(0);
    expect(o.stderr).toContain('.dockerconfigjson is not a JSON object');
    expect(o.stdout).toBe('https://u:p@h\n');
    expect(existsSync(join(dir, 'creds', '.docker'))).toBe(false);
  });

  it('refuses malformed and duplicate flags as Tekton does', async () => {
    secret('a', { username: 'u', password: 'p' });
    const bad = await run(['-basic-git=no-url']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expect entries of the form secret=url');
    const dup = await run(['-basic-git=a=https://h', '-basic-git=a=https://h']);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('multiple entries for url: https://h');
  });
});
