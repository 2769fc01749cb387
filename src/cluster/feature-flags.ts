/**
 * Tekton's `feature-flags` ConfigMap keys as tektite reads them: each supported key's parser (Tekton's accepted
 * values), and for every other key a reason it is not honoured. `--feature-flags KEY=VALUE` refuses what is not
 * supported (exit 2); a ConfigMap edited with kubectl gets the same messages in the controller's log, never silence.
 */
import type { FeatureFlags } from '../controller/config.js';

type Parsed = { ok: true; set: Partial<FeatureFlags> & { awaitSidecarReadiness?: boolean } } | { ok: false; message: string };

const bool = (key: string, field: string) => (v: string): Parsed =>
  v === 'true' || v === 'false' ? { ok: true, set: { [field]: v === 'true' } } : { ok: false, message: `${key} must be "true" or "false", got "${v}"` };

const PARSERS: Record<string, (v: string) => Parsed> = {
  'enable-api-fields': (v) => (['stable', 'beta', 'alpha'].includes(v)
    ? { ok: true, set: { enableApiFields: v as FeatureFlags['enableApiFields'] } }
    : { ok: false, message: `enable-api-fields must be "stable", "beta" or "alpha", got "${v}"` }),
  'results-from': (v) => (v === 'termination-message' || v === 'sidecar-logs'
    ? { ok: true, set: { resultsFrom: v } }
    : { ok: false, message: `results-from must be "termination-message" or "sidecar-logs", got "${v}"` }),
  'max-result-size': (v) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 && n <= 1572864 ? { ok: true, set: { maxResultSize: n } } : { ok: false, message: `max-result-size must be a whole number of bytes from 1 to 1572864 (1.5 MiB), got "${v}"` };
  },
  'disable-creds-init': bool('disable-creds-init', 'disableCredsInit'),
  'enable-artifacts': bool('enable-artifacts', 'enableArtifacts'),
  'require-git-ssh-secret-known-hosts': bool('require-git-ssh-secret-known-hosts', 'requireGitSshSecretKnownHosts'),
  'await-sidecar-readiness': bool('await-sidecar-readiness', 'awaitSidecarReadiness'),
  'keep-pod-on-cancel': bool('keep-pod-on-cancel', 'keepPodOnCancel'),
  'enable-cel-in-whenexpression': bool('enable-cel-in-whenexpression', 'enableCelInWhenExpression'),
  'enable-param-enum': bool('enable-param-enum', 'enableParamEnum'),
  'enable-provenance-in-status': bool('enable-provenance-in-status', 'enableProvenanceInStatus'),
};

/** Tekton keys that tektite does not act on yet: setting them to a non-default value is refused with this reason. */
const NOT_SUPPORTED: Record<string, string> = {
  'set-security-context': 'security contexts on injected containers are not set yet',
  'send-cloudevents-for-runs': 'CloudEvents for runs are not sent',
  'trusted-resources-verification-no-match-policy': 'trusted resources (signature verification) are not implemented',
  'enforce-nonfalsifiability': 'SPIRE-based non-falsifiability is not implemented',
  'coschedule': 'the affinity assistant does not apply (one node)',
  'disable-inline-spec': 'refusing inline specs is not implemented yet',
  'enable-concise-resolver-syntax': 'the concise resolver syntax is not implemented yet',
  'enable-kubernetes-sidecar': 'native Kubernetes sidecars are not used',
  'running-in-environment-with-injected-sidecars': 'no sidecars are injected into pods here',
  'enable-step-actions': 'StepActions are always on (stable in Tekton)',
  'enable-wait-exponential-backoff': 'not implemented',
};

/** Tekton's defaults of the keys tektite does not act on: a ConfigMap that sets them to these is fine. */
const TEKTON_DEFAULTS: Record<string, string> = {
  'set-security-context': 'false', 'send-cloudevents-for-runs': 'false', 'trusted-resources-verification-no-match-policy': 'ignore',
  'enforce-nonfalsifiability': 'none', 'coschedule': 'workspaces', 'disable-inline-spec': '', 'enable-concise-resolver-syntax': 'false',
  'enable-kubernetes-sidecar': 'false', 'running-in-environment-with-injected-sidecars': 'true', 'enable-step-actions': 'true',
  'enable-wait-exponential-backoff': 'false',
};

/** The settings a feature-flags data map gives, and a message for every key that is not honoured. */
export function parseFeatureFlags(data: Record<string, string> = {}): { set: Partial<FeatureFlags> & { awaitSidecarReadiness?: boolean }; problems: string[] } {
  const set: Partial<FeatureFlags> & { awaitSidecarReadiness?: boolean } = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(data)) {
    const value = raw.trim();
    const parse = PARSERS[key];
    if (parse) {
      const r = parse(value);
      if (r.ok) Object.assign(set, r.set);
      else problems.push(`feature-flags: ${r.message}; the default is kept`);
    } else if (key in NOT_SUPPORTED) {
      if (value !== TEKTON_DEFAULTS[key]) problems.push(`feature-flags: ${key}: "${value}" is not supported by tektite (${NOT_SUPPORTED[key]}); Tekton's default "${TEKTON_DEFAULTS[key]}" applies`);
    } else problems.push(`feature-flags: unknown key ${key} (ignored); tektite reads ${Object.keys(PARSERS).join(', ')}`);
  }
  return { set, problems };
}

/** Parses `--feature-flags KEY=VALUE` arguments; answers the data map, or the problems to refuse them with. */
export function featureFlagArgs(args: string[]): { data: Record<string, string>; problems: string[] } {
  const data: Record<string, string> = {};
  const problems: string[] = [];
  for (const a of args) {
    const i = a.indexOf('=');
    if (i <= 0) problems.push(`--feature-flags "${a}": expected KEY=VALUE (e.g. results-from=sidecar-logs)`);
    else data[a.slice(0, i)] = a.slice(i + 1);
  }
  const refusal = (p: string): string => p.replace(/^feature-flags: /, '--feature-flags: ').replace(/; the default is kept$/, '').replace(/; Tekton's default "[^"]*" applies$/, '').replace(/ \(ignored\)/, '');
  problems.push(...parseFeatureFlags(data).problems.map(refusal));
  return { data, problems };
}
