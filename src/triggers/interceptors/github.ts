/**
 * The `github` interceptor: event type filter (`X-GitHub-Event`), `X-Hub-Signature-256` HMAC-SHA256 over the raw
 * body with a Secret's key (constant-time), and `addChangedFiles` (push: from the commits; pull_request: the
 * GitHub API's PR files list, only when a personalAccessToken is configured).
 */
import { headerValue, fail, pass, Code, secretRefParam, secretValue, checkSignature, type BuiltinInterceptor, type InterceptorEnv, type InterceptorRequest, type InterceptorResponse } from './protocol.js';
import { getJson } from './http.js';

/** The github interceptor. */
export const githubInterceptor: BuiltinInterceptor = async (req, env) => {
  const p = req.interceptor_params;
  if ((headerValue(req.header, 'Content-Type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return fail(Code.InvalidArgument, 'form parameter encoding not supported, please change the hook to send JSON payloads');
  }
  const event = headerValue(req.header, 'X-GitHub-Event') ?? '';
  if (Array.isArray(p.eventTypes) && !p.eventTypes.includes(event)) {
    return fail(Code.FailedPrecondition, `event type ${event} is not allowed`);
  }
  if (p.secretRef !== undefined) {
    const ref = secretRefParam(p.secretRef);
    if (!ref) return fail(Code.Internal, 'secretRef must have secretName and secretKey');
    const sig = headerValue(req.header, 'X-Hub-Signature-256');
    if (!sig) return fail(Code.FailedPrecondition, 'no X-Hub-Signature-256 header set');
    const secret = await secretValue(env.lookup, env.namespace, ref.secretName, ref.secretKey);
    const bad = checkSignature(sig, env.rawBody, secret);
    if (bad) return fail(Code.FailedPrecondition, bad);
  }
  const acf = p.addChangedFiles as { enabled?: boolean; personalAccessToken?: unknown } | undefined;
  if (acf?.enabled && (event === 'push' || event === 'pull_request')) return changedFiles(req, env, event, acf.personalAccessToken);
  const owners = p.githubOwners as { enabled?: boolean } | undefined;
  if (owners?.enabled) return fail(Code.Unimplemented, 'githubOwners is not supported by tektite');
  return pass();
};

async function changedFiles(req: InterceptorRequest, env: InterceptorEnv, event: string, tokenRef: unknown): Promise<InterceptorResponse> {
  const body = env.parsedBody as Record<string, unknown> | null;
  if (event === 'push') {
    const files: string[] = [];
    const commits = Array.isArray(body?.commits) ? (body.commits as Array<Record<string, unknown>>) : [];
    for (const c of commits) {
      for (const k of ['added', 'removed', 'modified']) if (Array.isArray(c[k])) files.push(...(c[k] as string[]));
    }
    return pass({ changed_files: files.join(',') });
  }
  const ref = secretRefParam(tokenRef);
  if (!ref) return pass();
  const repo = (body?.repository as Record<string, unknown> | undefined)?.full_name;
  const number = body?.number;
  if (typeof repo !== 'string' || typeof number !== 'number') {
    return fail(Code.InvalidArgument, 'addChangedFiles: the pull_request payload has no number or repository.full_name');
  }
  const token = (await secretValue(env.lookup, env.namespace, ref.secretName, ref.secretKey)).toString('utf8');
  const host = headerValue(req.header, 'X-GitHub-Enterprise-Host');
  const base = host ? `https://${host}/api/v3` : env.githubApiUrl.replace(/\/$/, '');
  const files: string[] = [];
  for (let page = 1; page <= 30; page++) {
    const url = `${base}/repos/${repo}/pulls/${number}/files?per_page=100&page=${page}`;
    const r = await getJson(url, { Authorization: `token ${token}`, Accept: 'application/vnd.github+json' }, env.httpTimeoutMs);
    if (r.status !== 200 || !Array.isArray(r.json)) return fail(Code.Internal, `addChangedFiles: GitHub API answered ${r.status} for ${repo}#${number}`);
    for (const f of r.json as Array<{ filename?: string }>) if (typeof f.filename === 'string') files.push(f.filename);
    if (r.json.length < 100) break;
  }
  return pass({ changed_files: files.join(',') });
}
