/**
 * Tekton's ConfigMaps honoured live, in embedded mode and by `tkt controller`: `feature-flags`, `config-defaults`,
 * `config-events`, `config-leader-election`, `config-observability` and `config-spire` of the system namespace are
 * watched, and every change updates the one ControllerConfig object the controllers and admission read, without a
 * restart. A key that is not honoured (a bad value, a value tektite does not support, an unknown key) is never
 * silent: it gets a log line and a Warning Event on the ConfigMap, and the key keeps its previous value.
 */
import { REF } from '../api/registry.js';
import type { KubeObject } from '../api/types.js';
import { defaultControllerConfig, type ControllerConfig, type FeatureFlags } from '../controller/config.js';
import { Informer } from '../controller/runtime/informer.js';
import type { KubeClient } from '../kube/client.js';
import { eventRecorder, referenceTo, type EventRecorder } from '../kube/events.js';
import { CONFIG_MAP_KEYS, parseConfigMapKeys, type KeyOutcome } from './config-keys.js';
import { parseFeatureFlags } from './feature-flags.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };

/** The ConfigMaps read, by name. */
export const WATCHED_CONFIG_MAPS = ['feature-flags', ...Object.keys(CONFIG_MAP_KEYS)];

/** Reason of the Warning Event written on a ConfigMap for a key that is not applied. */
export const CONFIG_REJECTED_REASON = 'InvalidConfiguration';

/** The outcome of each key of the feature-flags ConfigMap. */
function featureFlagOutcomes(data: Record<string, string>): Array<{ key: string; outcome: KeyOutcome }> {
  return Object.entries(data).filter(([key]) => !key.startsWith('_')).map(([key, value]) => {
    const r = parseFeatureFlags({ [key]: value });
    const tidy = (m: string): string => m.replace(/^feature-flags: /, '').replace(/; the default is kept$|; Tekton's default "[^"]*" applies$/, '').replace(`${key}: `, '');
    if (r.problems.length > 0) return { key, outcome: { problem: r.problems.map(tidy).join('; ') } };
    const { awaitSidecarReadiness, ...features } = r.set;
    const set: Partial<ControllerConfig> = awaitSidecarReadiness === undefined ? {} : { awaitSidecarReadiness };
    if (Object.keys(features).length > 0) set.features = features as FeatureFlags;
    return { key, outcome: { set } };
  });
}

/** Later settings over earlier ones; `features` and `leaderElection` merged key by key. */
function merge(into: Partial<ControllerConfig>, add: Partial<ControllerConfig>): Partial<ControllerConfig> {
  const out = { ...into, ...add };
  if (into.features || add.features) out.features = { ...into.features, ...add.features } as FeatureFlags;
  if (into.leaderElection || add.leaderElection) out.leaderElection = { ...into.leaderElection, ...add.leaderElection };
  return out;
}

/**
 * The live configuration: `config` is the object to hand to the controllers and admission; {@link apply} updates
 * it in place from one ConfigMap's data. Explicit settings (`overrides`, e.g. from tests) win over ConfigMaps.
 */
export class LiveConfig {
  readonly config: ControllerConfig;
  /** The last good settings of each `configMap/key`. */
  private readonly good = new Map<string, Partial<ControllerConfig>>();

  constructor(private readonly base: Partial<ControllerConfig> = {}, private overrides: Partial<ControllerConfig> = {}) {
    this.config = this.compute();
  }

  /** The explicit settings (base and overrides, without the ConfigMaps): another LiveConfig built from them and fed
   * the same ConfigMaps holds the same configuration (the controller thread's copy). */
  explicit(): { base: Partial<ControllerConfig>; overrides: Partial<ControllerConfig> } {
    return { base: this.base, overrides: this.overrides };
  }

  /** Adds explicit settings (they win over ConfigMaps). */
  override(more: Partial<ControllerConfig>): void {
    this.overrides = merge(this.overrides, more);
    Object.assign(this.config, this.compute());
  }

  /** Takes in one ConfigMap's data (absent = deleted); answers a message for every key not applied. */
  apply(name: string, data: Record<string, string> | undefined): string[] {
    const outcomes = name === 'feature-flags' ? featureFlagOutcomes(data ?? {}) : parseConfigMapKeys(name, data ?? {});
    const present = new Set(outcomes.map((o) => `${name}/${o.key}`));
    for (const k of [...this.good.keys()]) if (k.startsWith(`${name}/`) && !present.has(k)) this.good.delete(k);
    const problems: string[] = [];
    for (const { key, outcome } of outcomes) {
      if ('set' in outcome) this.good.set(`${name}/${key}`, outcome.set);
      else problems.push(`${name}: ${key}: ${outcome.problem}; not applied, ${this.good.has(`${name}/${key}`) ? 'the previous value stays' : 'the default stays'}`);
    }
    Object.assign(this.config, this.compute());
    return problems;
  }

  private compute(): ControllerConfig {
    let acc: Partial<ControllerConfig> = { ...this.base };
    for (const set of this.good.values()) acc = merge(acc, set);
    acc = merge(acc, this.overrides);
    const full = defaultControllerConfig(acc);
    // keys that may go away again must exist on the object for Object.assign to clear them
    full.defaultPodTemplate = acc.defaultPodTemplate;
    full.leaderElection = acc.leaderElection;
    return full;
  }
}

/** Options of {@link watchConfigMaps}. */
export interface WatchOptions {
  /** A line for the log (every key not applied, every change applied). */
  log: (level: 'info' | 'warn', message: string) => void;
  /** Write Warning Events on the ConfigMaps (default true). */
  events?: boolean;
  /** Called after a ConfigMap changed the configuration (not for the ones found at start). */
  onChange?: (name: string) => void;
}

/**
 * Watches the ConfigMaps of `namespace` into `live`; resolves once the current ones are applied. The same data
 * (a resync, an unrelated write) is not reported twice.
 */
export async function watchConfigMaps(client: KubeClient, namespace: string, live: LiveConfig, opts: WatchOptions): Promise<{ stop(): Promise<void> }> {
  const recorder: EventRecorder | undefined = opts.events === false ? undefined : eventRecorder((e) => client.create(e), { component: 'tektite-config' });
  const seen = new Map<string, string>();
  const informer = new Informer<ConfigMap>(client, REF.ConfigMap, {
    namespace,
    onError: (err) => opts.log('warn', `watching ConfigMaps in ${namespace}: ${err instanceof Error ? err.message : String(err)}; retrying`),
  });
  const take = (cm: ConfigMap, deleted = false): void => {
    const name = cm.metadata.name ?? '';
    if (!WATCHED_CONFIG_MAPS.includes(name)) return;
    const data = deleted ? undefined : (cm.data ?? {});
    const fingerprint = JSON.stringify(data ?? null);
    if (seen.get(name) === fingerprint) return;
    const first = !seen.has(name);
    seen.set(name, fingerprint);
    const problems = live.apply(name, data);
    for (const p of problems) {
      opts.log('warn', `ConfigMap ${namespace}/${p}`);
      if (!deleted) recorder?.event(referenceTo({ ...cm, apiVersion: 'v1', kind: 'ConfigMap' }), 'Warning', CONFIG_REJECTED_REASON, p);
    }
    if (!first || deleted) opts.log('info', `ConfigMap ${namespace}/${name} ${deleted ? 'deleted: its keys are back to their defaults' : 'changed: applied'}`);
    if (!first) opts.onChange?.(name);
  };
  informer.addHandlers({ onAdd: (cm) => take(cm), onUpdate: (cm) => take(cm), onDelete: (cm) => take(cm, true) });
  await informer.start();
  return {
    async stop() {
      informer.stop();
      await recorder?.flush();
    },
  };
}
