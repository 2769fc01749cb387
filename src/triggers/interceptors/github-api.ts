/**
 * The GitHub REST calls of the github interceptor, as Triggers makes them: the pull request's files
 * (`addChangedFiles`), the org's public members, the repo's collaborators and the OWNERS file (`githubOwners`).
 * The token is optional (anonymous calls are what Triggers does without one). The base URL is
 * `https://<X-GitHub-Enterprise-Host>/api/v3` for GitHub Enterprise, else the sink's configured API URL.
 */
import { parse as parseYaml } from 'yaml';
import { send } from './http.js';

/** Thrown when the API answers something unusable (not a rejection of the event: the call may be retried). */
export class GitHubApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

/** A GitHub API client for one event. */
export interface GitHubApi {
  base: string;
  token?: string;
  timeoutMs: number;
}

function headers(api: GitHubApi): Record<string, string> {
  return {
    Accept: 'application/vnd.github+json', 'User-Agent': 'tektite-triggers',
    ...(api.token ? { Authorization: `Bearer ${api.token}` } : {}),
  };
}

async function get(api: GitHubApi, path: string): Promise<{ status: number; json: unknown; next?: string }> {
  const url = path.startsWith('http') ? path : `${api.base.replace(/\/$/, '')}${path}`;
  const r = await send(url, { method: 'GET', headers: headers(api), timeoutMs: api.timeoutMs });
  let json: unknown;
  try { json = JSON.parse(r.body.toString('utf8')); } catch { json = undefined; }
  const link = r.headers.link?.join(',') ?? '';
  const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  return { status: r.status, json, ...(next ? { next } : {}) };
}

/** Every item of a paged list (Link rel="next", else pages until a short one); undefined on 404. */
async function list<T>(api: GitHubApi, path: string, what: string): Promise<T[] | undefined> {
  const out: T[] = [];
  let url: string | undefined = `${path}${path.includes('?') ? '&' : '?'}per_page=100`;
  for (let page = 1; url && page <= 50; page++) {
    const r = await get(api, url);
    if (r.status === 404) return page === 1 ? undefined : out;
    if (r.status !== 200 || !Array.isArray(r.json)) throw new GitHubApiError(`GitHub API answered ${r.status} for ${what}`);
    out.push(...(r.json as T[]));
    url = r.next ?? (r.json.length < 100 ? undefined : `${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page + 1}`);
  }
  return out;
}

/** The file names of a pull request, in the API's order. */
export async function pullRequestFiles(api: GitHubApi, repo: string, n: number): Promise<string[]> {
  const files = await list<{ filename?: unknown }>(api, `/repos/${repo}/pulls/${n}/files`, `${repo}#${n}`);
  if (!files) throw new GitHubApiError(`GitHub API answered 404 for ${repo}#${n}`);
  return files.map((f) => f.filename).filter((f): f is string => typeof f === 'string');
}

const logins = (users: Array<{ login?: unknown }> | undefined): string[] => (users ?? []).map((u) => u.login).filter((l): l is string => typeof l === 'string');

/** Whether `user` is a public member of `org` (a missing org is "no"). */
export async function isPublicOrgMember(api: GitHubApi, org: string, user: string): Promise<boolean> {
  return logins(await list(api, `/orgs/${org}/public_members`, `the members of ${org}`)).includes(user);
}

/** Whether `user` is a collaborator of `repo`. */
export async function isRepoCollaborator(api: GitHubApi, repo: string, user: string): Promise<boolean> {
  const users = await list<{ login?: unknown }>(api, `/repos/${repo}/collaborators`, `the collaborators of ${repo}`);
  if (!users) throw new GitHubApiError(`GitHub API answered 404 for the collaborators of ${repo}`);
  return logins(users).includes(user);
}

/** Whether `user` is an approver or reviewer in the repo's root OWNERS file (case-insensitive; no file = no). */
export async function isInOwnersFile(api: GitHubApi, repo: string, user: string): Promise<boolean> {
  const r = await get(api, `/repos/${repo}/contents/OWNERS`);
  if (r.status === 404) return false;
  if (Array.isArray(r.json)) throw new GitHubApiError(`referenced file inside the Github Repository OWNERS is a directory`);
  const file = r.json as { content?: unknown; encoding?: unknown } | undefined;
  if (r.status !== 200 || typeof file?.content !== 'string') throw new GitHubApiError(`GitHub API answered ${r.status} for ${repo}/OWNERS`);
  const text = file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : file.content;
  let owners: { approvers?: unknown; reviewers?: unknown } | null;
  try {
    owners = parseYaml(text) as typeof owners;
  } catch (err) {
    throw new GitHubApiError(`${repo}/OWNERS is not YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const names = [owners?.approvers, owners?.reviewers].flatMap((x) => (Array.isArray(x) ? x : [])).filter((x): x is string => typeof x === 'string');
  return names.some((o) => o.toLowerCase() === user.toLowerCase());
}
