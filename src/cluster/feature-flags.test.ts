import { describe, expect, it } from 'vitest';
import { configFromConfigMaps } from './config-maps.js';
import { featureFlagArgs, parseFeatureFlags } from './feature-flags.js';

describe('feature-flags', () => {
  it('parses the keys tektite honours', () => {
    expect(parseFeatureFlags({ 'enable-api-fields': 'alpha', 'results-from': 'sidecar-logs', 'max-result-size': '8192', 'disable-creds-init': 'true', 'enable-artifacts': 'true' })).toEqual({
      set: { enableApiFields: 'alpha', resultsFrom: 'sidecar-logs', maxResultSize: 8192, disableCredsInit: true, enableArtifacts: true }, problems: [],
    });
  });

  it('reports bad values, unsupported non-default values and unknown keys; Tekton defaults of unsupported keys are fine', () => {
    const r = parseFeatureFlags({ 'results-from': 'disk', coschedule: 'pipelineruns', 'enforce-nonfalsifiability': 'none', 'enable-param-enum': 'maybe', nope: '1', 'max-result-size': '-1' });
    expect(r.set).toEqual({});
    expect(r.problems).toEqual([
      'feature-flags: results-from must be "termination-message" or "sidecar-logs", got "disk"; the default is kept',
      'feature-flags: coschedule: "pipelineruns" is not supported by tektite (the affinity assistant does not apply (one node)); Tekton\'s default "workspaces" applies',
      'feature-flags: enable-param-enum must be "true" or "false", got "maybe"; the default is kept',
      expect.stringMatching(/^feature-flags: unknown key nope \(ignored\); tektite reads enable-api-fields, /),
      'feature-flags: max-result-size must be a whole number of bytes from 1 to 1572864 (1.5 MiB), got "-1"; the default is kept',
    ]);
  });

  it('--feature-flags: KEY=VALUE, refusals without the ConfigMap wording', () => {
    expect(featureFlagArgs(['results-from=sidecar-logs'])).toEqual({ data: { 'results-from': 'sidecar-logs' }, problems: [] });
    expect(featureFlagArgs(['results-from', 'coschedule=pipelineruns']).problems).toEqual([
      '--feature-flags "results-from": expected KEY=VALUE (e.g. results-from=sidecar-logs)',
      '--feature-flags: coschedule: "pipelineruns" is not supported by tektite (the affinity assistant does not apply (one node))',
    ]);
  });

  it('reach the controller configuration', () => {
    expect(configFromConfigMaps({}, { 'results-from': 'sidecar-logs', 'await-sidecar-readiness': 'false' })).toEqual({ awaitSidecarReadiness: false, features: { resultsFrom: 'sidecar-logs' } });
  });
});
