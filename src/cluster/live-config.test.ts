import { describe, expect, it } from 'vitest';
import { defaultFeatureFlags } from '../controller/config.js';
import { parseConfigMapKeys } from './config-keys.js';
import { LiveConfig, WATCHED_CONFIG_MAPS } from './live-config.js';

describe('LiveConfig', () => {
  it('updates the one config object in place from each ConfigMap', () => {
    const live = new LiveConfig();
    const config = live.config;
    expect(live.apply('feature-flags', { 'enable-api-fields': 'alpha', 'keep-pod-on-cancel': 'true' })).toEqual([]);
    expect(live.apply('config-defaults', { 'default-timeout-minutes': '5', 'default-service-account': 'builder', _example: 'ignored' })).toEqual([]);
    expect(config.features).toMatchObject({ enableApiFields: 'alpha', keepPodOnCancel: true });
    expect(config).toMatchObject({ defaultTimeoutMinutes: 5, defaultServiceAccount: 'builder' });
  });

  it('keeps the previous value of a key given a bad value, and says so', () => {
    const live = new LiveConfig();
    live.apply('feature-flags', { 'results-from': 'sidecar-logs' });
    expect(live.apply('feature-flags', { 'results-from': 'disk' })).toEqual([
      'feature-flags: results-from: results-from must be "termination-message" or "sidecar-logs", got "disk"; not applied, the previous value stays',
    ]);
    expect(live.config.features.resultsFrom).toBe('sidecar-logs');
  });

  it('a key removed (or the ConfigMap deleted) goes back to its default', () => {
    const live = new LiveConfig();
    live.apply('config-defaults', { 'default-timeout-minutes': '5', 'default-pod-template': 'nodeSelector: {disk: ssd}' });
    expect(live.config.defaultPodTemplate).toEqual({ nodeSelector: { disk: 'ssd' } });
    live.apply('config-defaults', undefined);
    expect(live.config.defaultTimeoutMinutes).toBe(60);
    expect(live.config.defaultPodTemplate).toBeUndefined();
  });

  it('explicit settings win over ConfigMaps', () => {
    const live = new LiveConfig({}, { features: defaultFeatureFlags({ enableApiFields: 'alpha' }) });
    live.apply('feature-flags', { 'enable-api-fields': 'stable' });
    expect(live.config.features.enableApiFields).toBe('alpha');
  });

  it('refuses what is not supported in every ConfigMap, with the reason', () => {
    const live = new LiveConfig();
    expect(live.apply('config-events', { sink: 'http://sink', formats: 'tektonv1' })).toEqual([
      expect.stringMatching(/^config-events: sink: "http:\/\/sink" is not supported by tektite \(sending CloudEvents is not implemented/),
    ]);
    expect(live.apply('config-spire', { 'spire-trust-domain': 'corp.example' })[0]).toMatch(/SPIRE is not supported/);
    expect(live.apply('config-observability', { 'metrics.backend-destination': 'prometheus', 'metrics.taskrun.level': 'taskrun' })[0]).toMatch(/^config-observability: metrics.taskrun.level: "taskrun" is not supported/);
    expect(live.apply('config-defaults', { 'default-resolver-type': 'git', nope: 'x' })).toEqual([
      expect.stringMatching(/^config-defaults: default-resolver-type: "git" is not supported by tektite/),
      expect.stringMatching(/^config-defaults: nope: unknown key \(ignored\); tektite reads default-timeout-minutes, /),
    ]);
  });

  it('leader election timings are Go durations', () => {
    expect(parseConfigMapKeys('config-leader-election', { 'lease-duration': '30s', 'renew-deadline': '20s', 'retry-period': '500ms', buckets: '1' }).map((k) => k.outcome)).toEqual([
      { set: { leaderElection: { leaseDurationSeconds: 30 } } }, { set: { leaderElection: { renewDeadlineMs: 20_000 } } }, { set: { leaderElection: { retryPeriodMs: 500 } } }, { set: {} },
    ]);
    expect(parseConfigMapKeys('config-leader-election', { 'lease-duration': 'soon' })[0]?.outcome).toEqual({ problem: 'must be a Go duration such as 15s, got "soon"' });
  });

  it('watches the ConfigMaps Tekton reads', () => {
    expect(WATCHED_CONFIG_MAPS).toEqual(expect.arrayContaining(['feature-flags', 'config-defaults', 'config-events', 'config-leader-election', 'config-observability', 'config-spire']));
  });
});
