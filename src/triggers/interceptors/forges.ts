/**
 * The `gitlab` interceptor (`X-Gitlab-Event` filter, `X-Gitlab-Token` compared in constant time with a
 * Secret's key) and the `bitbucket` interceptor (`X-Hub-Signature` HMAC with sha1/sha256/sha512 prefix, then
 * the `X-Event-Key` filter), with Tekton's codes and messages.
 */
import { checkSignature, Code, constantTimeEqual, fail, headerValue, pass, secretRefParam, secretValue, type BuiltinInterceptor } from './protocol.js';

/** The gitlab interceptor. */
export const gitlabInterceptor: BuiltinInterceptor = async (req, env) => {
  const p = req.interceptor_params;
  const event = headerValue(req.header, 'X-Gitlab-Event') ?? '';
  if (Array.isArray(p.eventTypes) && !p.eventTypes.includes(event)) {
    return fail(Code.FailedPrecondition, `event type ${event} is not allowed`);
  }
  if (p.secretRef !== undefined) {
    const ref = secretRefParam(p.secretRef);
    if (!ref) return fail(Code.Internal, 'secretRef must have secretName and secretKey');
    const token = headerValue(req.header, 'X-Gitlab-Token');
    if (!token) return fail(Code.InvalidArgument, 'no X-Gitlab-Token header set');
    const secret = await secretValue(env.lookup, env.namespace, ref.secretName, ref.secretKey);
    if (!constantTimeEqual(Buffer.from(token, 'utf8'), secret)) return fail(Code.InvalidArgument, 'Invalid X-GitLab-Token');
  }
  return pass();
};

/** The bitbucket interceptor (Bitbucket Server signs; Bitbucket Cloud has no secret and only filters). */
export const bitbucketInterceptor: BuiltinInterceptor = async (req, env) => {
  const p = req.interceptor_params;
  if (p.secretRef !== undefined) {
    const ref = secretRefParam(p.secretRef);
    if (!ref) return fail(Code.Internal, 'secretRef must have secretName and secretKey');
    const sig = headerValue(req.header, 'X-Hub-Signature');
    if (!sig) return fail(Code.FailedPrecondition, 'no X-Hub-Signature header set');
    const secret = await secretValue(env.lookup, env.namespace, ref.secretName, ref.secretKey);
    const bad = checkSignature(sig, env.rawBody, secret);
    if (bad) return fail(Code.FailedPrecondition, bad);
  }
  const event = headerValue(req.header, 'X-Event-Key') ?? '';
  if (Array.isArray(p.eventTypes) && !p.eventTypes.includes(event)) {
    return fail(Code.FailedPrecondition, `event type ${event} is not allowed`);
  }
  return pass();
};

/**
 * The slack interceptor, as Triggers ships it: a form-encoded request with an `X-Slack-Signature` header (present;
 * Triggers does not verify it), whose `requestedFields` are copied from the form (each a list of strings) into
 * `extensions`. Needs the listener's `tekton.dev/payload-validation: "false"` so that the form reaches it.
 */
export const slackInterceptor: BuiltinInterceptor = async (req, env) => {
  const missing = 'missing header in payload: ContentType application/x-www-form-urlencoded';
  if (headerValue(req.header, 'Content-Type') !== 'application/x-www-form-urlencoded') return fail(Code.InvalidArgument, missing);
  if (!headerValue(req.header, 'X-Slack-Signature')) return fail(Code.InvalidArgument, missing);
  let form: Record<string, unknown>;
  try {
    form = JSON.parse(env.rawBody.toString('utf8')) as Record<string, unknown>;
    if (form === null || typeof form !== 'object' || Array.isArray(form)) throw new Error('not a form');
  } catch (err) {
    return fail(Code.InvalidArgument, `failed to unmarshl slack payload: ${err instanceof Error ? err.message : String(err)}`);
  }
  const fields = req.interceptor_params.requestedFields;
  if (!Array.isArray(fields)) return fail(Code.NotFound, 'missing requested field definition');
  const extensions: Record<string, unknown> = {};
  for (const f of fields) {
    if (typeof f !== 'string' || !(f in form)) return fail(Code.NotFound, `requested field does not exists in payload ${JSON.stringify(form)}`);
    extensions[f] = form[f];
  }
  return pass(extensions);
};
