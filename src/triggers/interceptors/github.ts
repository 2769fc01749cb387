/**
 * The `github` interceptor, in Triggers' order: form bodies refused, event type filter (`X-GitHub-Event`),
 * signature (`X-Hub-Signature-256`, else `X-Hub-Signature`) over the raw body with a Secret's key (constant time),
 * then `addChangedFiles` (push: the commits' added, modified, removed files; pull_request: the GitHub API's file
 * list, with or without a token) — which returns at once, as in Triggers — or else `githubOwners` (pull_request and
 * issue_comment: the sender must be an org member, repo collaborator or OWNERS approver/reviewer as `checkType`
 * says; an owner's `/ok-to-test` comment lets a pull request through).
 */
import { GitHubApiError, isInOwnersFile, isPublicOrgMember, isRepoCollaborator, pullRequestFiles, type GitHubApi } from './github-api.js';
import { headerValue, fail, pass, Code, SecretError, secretRefParam, secretValue, checkSignature, type BuiltinInterceptor, type InterceptorEnv, type InterceptorRequest, type InterceptorResponse } from './protocol.js';

const OK_TO_TEST = /(^|\n)\/ok-to-test(\r\n|\r|\n|$)/;

/** The github interceptor. */
export const githubInterceptor: BuiltinInterceptor = async (req, env) => {
  const p = req.interceptor_params;
  if ((headerValue(req.header, 'Content-Type') ?? '') === 'application/x-www-form-urlencoded') {
    return fail(Code.InvalidArgument, 'form parameter encoding not supported, please change the hook to send JSON payloads');
  }
  const event = headerValue(req.header, 'X-GitHub-Event') ?? '';
  if (Array.isArray(p.eventTypes) && !p.eventTypes.includes(event)) {
    return fail(Code.FailedPrecondition, `event type ${event} is not allowed`);
  }
  if (p.secretRef !== undefined) {
    const ref = secretRefParam(p.secretRef);
    if (!ref) return fail(Code.Internal, 'secretRef must have secretName and secretKey');
    if (ref.secretKey === '') return fail(Code.FailedPrecondition, 'github interceptor secretRef.secretKey is empty');
    const sig = headerValue(req.header, 'X-Hub-Signature-256') ?? headerValue(req.header, 'X-Hub-Signature');
    if (!sig) return fail(Code.FailedPrecondition, 'Must set X-Hub-Signature-256 or X-Hub-Signature header');
    const secret = await secretValue(env.lookup, env.namespace, ref.secretName, ref.secretKey);
    const bad = checkSignature(sig, env.rawBody, secret);
    if (bad) return fail(Code.FailedPrecondition, bad);
  }
  try {
    const acf = p.addChangedFiles as { enabled?: boolean; personalAccessToken?: unknown } | undefined;
    if (acf?.enabled) return (event === 'push' || event === 'pull_request') ? await changedFiles(req, env, event, acf.personalAccessToken) : pass();
    const owners = p.githubOwners as { enabled?: boolean; personalAccessToken?: unknown; checkType?: unknown } | undefined;
    if (owners?.enabled && (event === 'pull_request' || event === 'issue_comment')) return await checkOwners(req, env, event, owners);
  } catch (err) {
    if (err instanceof GitHubApiError) return fail(Code.Internal, err.message);
    if (err instanceof SecretError) throw err;
    return fail(Code.Unavailable, `GitHub API: ${err instanceof Error ? err.message : String(err)}`);
  }
  return pass();
};

async function apiFor(req: InterceptorRequest, env: InterceptorEnv, tokenRef: unknown): Promise<GitHubApi> {
  const ref = secretRefParam(tokenRef);
  const token = ref ? (await secretValue(env.lookup, env.namespace, ref.secretName, ref.secretKey)).toString('utf8').trim() : undefined;
  const host = headerValue(req.header, 'X-GitHub-Enterprise-Host');
  return { base: host ? `https://${host}/api/v3` : env.githubApiUrl, ...(token ? { token } : {}), timeoutMs: env.httpTimeoutMs };
}

type Body = Record<string, unknown> | null;
const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const repoOf = (body: Body): string | undefined => { const n = obj(body?.repository)?.full_name; return typeof n === 'string' && n.includes('/') ? n : undefined; };

async function changedFiles(req: InterceptorRequest, env: InterceptorEnv, event: string, tokenRef: unknown): Promise<InterceptorResponse> {
  const body = obj(env.parsedBody) ?? null;
  if (!body) return fail(Code.FailedPrecondition, 'error parsing body: body is empty');
  if (event === 'pull_request' && typeof body.number !== 'number') return fail(Code.FailedPrecondition, "error parsing body: pull_request body missing 'number' field");
  if (!obj(body.repository)) return fail(Code.FailedPrecondition, "error parsing body: payload body missing 'repository' field");
  const repo = repoOf(body);
  if (!repo) return fail(Code.FailedPrecondition, "error parsing body: payload body missing 'repository.full_name' field");
  if (event === 'pull_request') {
    const files = await pullRequestFiles(await apiFor(req, env, tokenRef), repo, body.number as number);
    return pass({ changed_files: files.join(',') });
  }
  const files: string[] = [];
  for (const c of Array.isArray(body.commits) ? body.commits : []) {
    for (const k of ['added', 'modified', 'removed']) {
      const list = obj(c)?.[k];
      if (!Array.isArray(list)) return fail(Code.FailedPrecondition, `error parsing body: payload body missing 'commits.*.${k}' field`);
      files.push(...list.map(String));
    }
  }
  return pass({ changed_files: files.join(',') });
}

interface OwnersEvent { repo: string; org: string; sender: string; comment: string }

function ownersEvent(body: Body, event: string): OwnersEvent | string {
  if (!body) return 'payload body is empty';
  let comment = '';
  if (event === 'pull_request' && typeof body.number !== 'number') return "pull_request body missing 'number' field";
  if (event === 'issue_comment') {
    const issue = obj(body.issue);
    if (!issue) return "issue_comment body missing 'issue' section";
    if (issue.number === undefined) return "'number' field missing in the issue section of issue_comment body";
    const c = obj(body.comment);
    if (!c) return "issue_comment body missing 'comment' section";
    if (typeof c.body !== 'string') return "'body' field missing in the comment section of issue_comment body";
    comment = c.body;
  }
  if (!obj(body.repository)) return "payload body missing 'repository' field";
  const repo = repoOf(body);
  if (!repo) return "payload body missing 'repository.full_name' field";
  const sender = obj(body.sender);
  if (!sender) return "payload body missing 'sender' field";
  return { repo, org: repo.split('/')[0] as string, sender: typeof sender.login === 'string' ? sender.login : '', comment };
}

async function checkOwners(req: InterceptorRequest, env: InterceptorEnv, event: string, o: { personalAccessToken?: unknown; checkType?: unknown }): Promise<InterceptorResponse> {
  const checkType = typeof o.checkType === 'string' ? o.checkType : '';
  const api = await apiFor(req, env, o.personalAccessToken);
  if (!api.token && checkType !== 'none') return fail(Code.FailedPrecondition, 'checkType is set to check org or repo members but no personalAccessToken was supplied');
  const ev = ownersEvent(obj(env.parsedBody) ?? null, event);
  if (typeof ev === 'string') return fail(Code.FailedPrecondition, `error parsing body: ${ev}`);
  const allowed = await isOwner(api, ev, checkType);
  if (allowed && event === 'pull_request') return pass();
  if (allowed && OK_TO_TEST.test(ev.comment)) return pass();
  return fail(Code.FailedPrecondition, 'owners check requirements not met');
}

async function isOwner(api: GitHubApi, ev: OwnersEvent, checkType: string): Promise<boolean> {
  if ((checkType === 'orgMembers' || checkType === 'all') && await isPublicOrgMember(api, ev.org, ev.sender)) return true;
  if ((checkType === 'repoMembers' || checkType === 'all') && await isRepoCollaborator(api, ev.repo, ev.sender)) return true;
  return isInOwnersFile(api, ev.repo, ev.sender);
}
