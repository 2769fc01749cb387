/**
 * The `git` resolver: a file at a revision of a git repository, read with the git CLI from a bare mirror kept
 * in the cache directory (cloned once, fetched again when a resolution misses the cache). Params: `url` (file://,
 * http(s)://, ssh, git://) or `org` + `repo` (+ `serverURL`, default https://github.com); `revision` (branch, tag,
 * commit SHA or full ref; default the remote's HEAD); `pathInRepo` (required); `token` + `tokenKey` (a Secret
 * in the run's namespace holding an access token, sent as HTTP basic auth; `gitToken`/`gitTokenKey` too); `cache`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDirOf } from './config.js';
import { execCapture } from './exec.js';
import { paramOf, redactUrl, requiredParam } from './params.js';
import { secretValue } from './secrets.js';
import type { ResolvedData, Resolver, ResolveRequest, ResolverContext } from './types.js';
import { ResolutionError } from './types.js';

const ALLOWED_SCHEMES = /^(file|https?|ssh|git):\/\//;
const FULL_SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

interface GitJob {
  url: string;
  mirror: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

function repoUrl(req: ResolveRequest): string {
  const url = paramOf(req, 'url');
  if (url) return url;
  const org = paramOf(req, 'org');
  const repo = paramOf(req, 'repo');
  if (!org || !repo) throw new ResolutionError('missing required param "url" (or "org" and "repo")');
  const server = (paramOf(req, 'serverURL') ?? 'https://github.com').replace(/\/+$/, '');
  return `${server}/${org}/${repo}.git`;
}

function checkedPath(req: ResolveRequest): string {
  const path = requiredParam(req, 'pathInRepo').replace(/^\/+/, '');
  if (path.split('/').includes('..')) throw new ResolutionError(`pathInRepo "${path}" must stay inside the repository`);
  return path;
}

async function gitEnv(req: ResolveRequest, ctx: ResolverContext): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null', GIT_ALLOW_PROTOCOL: 'file:http:https:ssh:git', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
  };
  const secret = paramOf(req, 'token') ?? paramOf(req, 'gitToken');
  if (secret) {
    const key = paramOf(req, 'tokenKey') ?? paramOf(req, 'gitTokenKey') ?? 'token';
    const token = (await secretValue(ctx.client, req.namespace, secret, key)).trim();
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  }
  return env;
}

function failure(what: string, stderr: string): ResolutionError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/.test(l) && !/Could not read from remote repository/.test(l)) ?? lines.pop() ?? 'git failed';
  return new ResolutionError(redactUrl(`${what}: ${fatal}`));
}

async function git(job: GitJob, args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return execCapture('git', args, { env: job.env, timeoutMs: job.timeoutMs });
}

/** Clones the mirror on first use, else fetches every branch and tag again. */
async function update(job: GitJob): Promise<void> {
  const cloned = existsSync(join(job.mirror, 'HEAD'));
  const r = cloned
    ? await git(job, ['-C', job.mirror, 'fetch', '--prune', '--quiet', '--', job.url, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'])
    : await git(job, ['clone', '--mirror', '--quiet', '--', job.url, job.mirror]);
  if (r.code === 124) throw new ResolutionError(`cannot fetch ${redactUrl(job.url)}: timed out after ${job.timeoutMs / 1000}s`);
  if (r.code !== 0) throw failure(`cannot fetch ${job.url}`, r.stderr);
}

async function revParse(job: GitJob, revision: string | undefined): Promise<string | undefined> {
  const candidates = revision === undefined ? ['HEAD'] : [`refs/heads/${revision}`, `refs/tags/${revision}`, revision];
  for (const c of candidates) {
    const r = await git(job, ['-C', job.mirror, 'rev-parse', '--verify', '--quiet', `${c}^{commit}`]);
    if (r.code === 0) return r.stdout.toString('utf8').trim();
  }
  return undefined;
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier job on the same mirror (one git process per mirror at a time). */
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => { if (locks.get(key) === tail) locks.delete(key); });
  return next;
}

async function commitOf(job: GitJob, revision: string | undefined): Promise<string> {
  if (revision !== undefined && FULL_SHA.test(revision) && existsSync(join(job.mirror, 'HEAD'))) {
    const known = await revParse(job, revision);
    if (known) return known;
  }
  await update(job);
  const commit = await revParse(job, revision);
  if (commit) return commit;
  if (revision !== undefined && /^[0-9a-f]{7,64}$/.test(revision)) {
    await git(job, ['-C', job.mirror, 'fetch', '--quiet', '--', job.url, revision]);
    const fetched = await revParse(job, revision);
    if (fetched) return fetched;
  }
  throw new ResolutionError(revision === undefined ? `${job.url} has no default branch (HEAD)` : `revision "${revision}" not found in ${job.url}`);
}

/** Resolves a file at a revision. */
async function resolveGit(req: ResolveRequest, ctx: ResolverContext): Promise<ResolvedData> {
  const url = repoUrl(req);
  if (!ALLOWED_SCHEMES.test(url)) throw new ResolutionError(`url "${url}" must be file://, http(s)://, ssh:// or git://`);
  const path = checkedPath(req);
  const revision = paramOf(req, 'revision');
  if (revision?.startsWith('-')) throw new ResolutionError(`revision "${revision}" is not valid`);
  const root = join(cacheDirOf(ctx.config), 'git');
  mkdirSync(root, { recursive: true });
  const mirror = join(root, `${createHash('sha256').update(url).digest('hex').slice(0, 24)}.git`);
  const job: GitJob = { url, mirror, env: await gitEnv(req, ctx), timeoutMs: ctx.config.timeoutMs };
  const { commit, blob } = await serialized(mirror, async () => {
    const c = await commitOf(job, revision);
    return { commit: c, blob: await git(job, ['-C', mirror, 'cat-file', 'blob', `${c}:${path}`]) };
  });
  if (blob.code !== 0) throw new ResolutionError(`file "${path}" not found at revision "${revision ?? 'HEAD'}" (commit ${commit}) of ${url}`);
  return {
    data: blob.stdout.toString('utf8'),
    source: { uri: `git+${url}`, digest: { sha1: commit }, entryPoint: path },
    immutable: revision !== undefined && FULL_SHA.test(revision),
  };
}

/** The git resolver. */
export const gitResolver: Resolver = { name: 'git', resolve: resolveGit };
