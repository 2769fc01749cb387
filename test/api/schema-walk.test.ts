/**
 * Issue 13's Done-when: no field in the schemas is accepted and ignored. Walks the structural schema of every
 * kind (what the CRDs and admission accept) and fails on any field path that schema-walk.rules.ts does not place:
 * honoured (a named test runs it), copied onto the pod (checked here by building one), informational, or refused
 * at admission behind a feature flag or as not supported (checked here with each rule's sample).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { structuralSchema } from '../../src/api/crd-schema.js';
import { schemaForKind } from '../../src/api/schemas/index.js';
import type { TaskRun, TaskSpec } from '../../src/api/types.js';
import { validateObject } from '../../src/api/validate/index.js';
import { defaultFeatureFlags } from '../../src/controller/config.js';
import { buildPod, builtinImageEntrypoints } from '../../src/pod/index.js';
import { repoRoot } from '../helpers/conformance.js';
import { RULES, type Rule } from './schema-walk.rules.js';

const KINDS: Array<[string, string]> = [
  ['tekton.dev/v1', 'Task'], ['tekton.dev/v1', 'TaskRun'], ['tekton.dev/v1', 'Pipeline'], ['tekton.dev/v1', 'PipelineRun'],
  ['tekton.dev/v1beta1', 'StepAction'], ['tekton.dev/v1beta1', 'CustomRun'],
  ['triggers.tekton.dev/v1beta1', 'EventListener'], ['triggers.tekton.dev/v1beta1', 'Trigger'], ['triggers.tekton.dev/v1beta1', 'TriggerBinding'],
  ['triggers.tekton.dev/v1beta1', 'ClusterTriggerBinding'], ['triggers.tekton.dev/v1beta1', 'TriggerTemplate'],
  ['triggers.tekton.dev/v1alpha1', 'Interceptor'], ['triggers.tekton.dev/v1alpha1', 'ClusterInterceptor'],
];

/** Kubernetes subtrees whose inside is Kubernetes' business (copied as a whole, or checked by the kubelet). */
const SUBTREE = /([.:])(securityContext|volumeMounts|env|envFrom|computeResources|livenessProbe|readinessProbe|startupProbe|lifecycle|ports|affinity|tolerations|dnsConfig|hostAliases|topologySpreadConstraints|imagePullSecrets|nodeSelector|volumes|emptyDir|volumeClaimTemplate|configMap|secret|projected|csi|persistentVolumeClaim|kubernetesResource|customResource)(\[\])?\..*/;

type Node = { properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean };

function walk(n: Node | undefined, path: string, out: string[]): void {
  if (!n || typeof n !== 'object') return;
  for (const [k, v] of Object.entries(n.properties ?? {})) {
    out.push(`${path}.${k}`);
    walk(v, `${path}.${k}`, out);
  }
  if (n.items) walk(n.items, `${path}[]`, out);
  if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${path}{}`, out);
}

/** One name per shape: embedded specs under their kind, shared shapes under their own name. */
function normalise(kind: string, path: string): string {
  return `${kind === 'ClusterTriggerBinding' ? 'TriggerBinding' : kind === 'ClusterInterceptor' ? 'Interceptor' : kind}:${path}`
    .replace(/^TaskRun:spec\.taskSpec\./, 'Task:spec.')
    .replace(/^(Pipeline|PipelineRun):spec\.(pipelineSpec\.)?(tasks|finally)\[\]\.taskSpec\.(?!apiVersion|kind|metadata|spec\b)/, 'Task:spec.')
    .replace(/^PipelineRun:spec\.pipelineSpec\./, 'Pipeline:spec.')
    .replace(/^Pipeline:spec\.finally\[\]/, 'Pipeline:spec.tasks[]')
    .replace(/^Task:spec\.stepTemplate\./, 'Task:spec.steps[].')
    .replace(/^(TaskRun:spec|PipelineRun:spec\.taskRunTemplate|PipelineRun:spec\.taskRunSpecs\[\])\.podTemplate\./, 'PodTemplate:')
    .replace(/^(TaskRun|PipelineRun|CustomRun):spec\.workspaces\[\]\./, 'WorkspaceBinding:')
    .replace(/^EventListener:spec\.triggers\[\]\./, 'Trigger:spec.')
    .replace(SUBTREE, '$1$2$3.**');
}

function fieldPaths(): string[] {
  const all = new Set<string>();
  for (const [apiVersion, kind] of KINDS) {
    const schema = schemaForKind(apiVersion, kind);
    if (!schema) throw new Error(`no schema for ${apiVersion} ${kind}`);
    const out: string[] = [];
    walk(structuralSchema(schema) as Node, '', out);
    for (const p of out.map((x) => x.slice(1)).filter((x) => x === 'spec' || x.startsWith('spec.'))) all.add(normalise(kind, p));
  }
  return [...all].sort();
}

const ruleFor = (path: string): Rule | undefined => RULES.find((r) => r.re.test(path));

/** The text of a test file and of the table fixtures beside it (`fixtures/*.yaml`), which hold its cases. */
function testText(file: string): string {
  const fixtures = join(dirname(file), 'fixtures');
  const tables = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => /\.ya?ml$/.test(f)).map((f) => readFileSync(join(fixtures, f), 'utf8')) : [];
  return [readFileSync(file, 'utf8'), ...tables].join('\n');
}

describe('every field of every schema is honoured, copied to the pod, or refused with a clear message', () => {
  const paths = fieldPaths();

  it('walks the schemas of every kind', () => {
    expect(paths.length).toBeGreaterThan(400);
  });

  it('places every field path (add a rule to schema-walk.rules.ts, or reject the field at admission)', () => {
    expect(paths.filter((p) => !ruleFor(p))).toEqual([]);
  });

  it('honoured fields name a test that exists and mentions the field', () => {
    const missing: string[] = [];
    for (const p of paths) {
      const r = ruleFor(p);
      if (r?.how !== 'honoured') continue;
      const file = join(repoRoot, r.by);
      const field = p.replace(/\.\*\*$/, '').replace(/[[\]{}]/g, '').split(/[.:]/).pop() ?? '';
      if (!existsSync(file)) missing.push(`${p}: ${r.by} does not exist`);
      else if (field !== 'spec' && !testText(file).includes(field)) missing.push(`${p}: ${r.by} never mentions ${field}`);
    }
    expect(missing).toEqual([]);
  });

  it('lists what is implemented but not yet run by a test (gaps to close)', () => {
    const gaps = paths.filter((p) => ruleFor(p)?.how === 'untested');
    if (gaps.length > 0) console.log(`implemented without a test yet:\n  ${gaps.join('\n  ')}`);
    for (const p of gaps) expect(existsSync(join(repoRoot, ruleFor(p)!.by)), p).toBe(true);
  });

  it('gated and not-supported fields are refused at admission with a clear message', () => {
    const rules = RULES.filter((r) => r.how === 'gated' || r.how === 'rejected');
    for (const r of rules) {
      expect(r.sample, `${String(r.re)} needs a sample`).toBeDefined();
      const { errors } = validateObject(r.sample!.obj, { features: defaultFeatureFlags() });
      expect(errors, String(r.re)).toEqual(expect.arrayContaining([{ path: r.sample!.path, message: expect.stringContaining(r.sample!.message) }]));
    }
  });

  it('fields accepted but not applied carry an admission warning', () => {
    for (const r of RULES.filter((x) => x.how === 'warned')) {
      expect(r.sample, `${String(r.re)} needs a sample`).toBeDefined();
      const { warnings } = validateObject(r.sample!.obj, { features: defaultFeatureFlags() });
      expect(warnings, String(r.re)).toEqual(expect.arrayContaining([{ path: r.sample!.path, message: expect.stringContaining(r.sample!.message) }]));
    }
  });

  it('copied fields reach the pod as written', () => {
    const k8s: Record<string, unknown> = {
      env: [{ name: 'E', value: 'v' }], envFrom: [{ configMapRef: { name: 'cm' } }], volumeMounts: [{ name: 'v', mountPath: '/v' }],
      volumeDevices: [{ name: 'd', devicePath: '/dev/x' }], imagePullPolicy: 'Always', securityContext: { runAsUser: 1000 },
    };
    const sidecarOnly = {
      ports: [{ containerPort: 80 }], livenessProbe: { exec: { command: ['true'] } }, readinessProbe: { exec: { command: ['true'] } },
      startupProbe: { exec: { command: ['true'] } }, lifecycle: { preStop: { exec: { command: ['true'] } } }, stdin: true, stdinOnce: true, tty: true,
      terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'FallbackToLogsOnError',
    };
    const template = {
      nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'k', operator: 'Exists' }], affinity: { nodeAffinity: {} }, securityContext: { fsGroup: 1 },
      runtimeClassName: 'rc', automountServiceAccountToken: false, dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] }, enableServiceLinks: false,
      priorityClassName: 'high', schedulerName: 'sched', imagePullSecrets: [{ name: 'pull' }], hostAliases: [{ ip: '1.2.3.4', hostnames: ['h'] }],
      hostNetwork: false, hostUsers: true, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'k', whenUnsatisfiable: 'DoNotSchedule' }],
    };
    const spec: TaskSpec = {
      steps: [{ name: 'a', image: 'busybox', command: ['true'], ...k8s }] as TaskSpec['steps'],
      sidecars: [{ name: 's', image: 'busybox', ...k8s, ...sidecarOnly }] as unknown as TaskSpec['sidecars'],
      volumes: [{ name: 'v', emptyDir: {} }],
    };
    const taskRun = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr', namespace: 'ns' }, spec: { podTemplate: { ...template, env: [{ name: 'T', value: 't' }], volumes: [{ name: 'tv', emptyDir: {} }] } } } as TaskRun;
    const built = buildPod({ taskRun, spec, podName: 'tr-pod', config: { entrypointImage: 'img', awaitSidecarReadiness: false, managedBy: 'tekton-pipelines', imageEntrypoint: builtinImageEntrypoints } });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const [step, sidecar] = [built.pod.spec.containers.find((c) => c.name === 'step-a'), built.pod.spec.containers.find((c) => c.name === 'sidecar-s')];
    for (const [k, v] of Object.entries(k8s)) {
      const want: unknown = Array.isArray(v) ? expect.arrayContaining(v as unknown[]) : v;
      expect((step as Record<string, unknown>)[k], `step ${k}`).toEqual(want);
      expect((sidecar as Record<string, unknown>)[k], `sidecar ${k}`).toEqual(want);
    }
    for (const [k, v] of Object.entries(sidecarOnly)) expect((sidecar as Record<string, unknown>)[k], `sidecar ${k}`).toEqual(v);
    for (const [k, v] of Object.entries(template)) expect((built.pod.spec as Record<string, unknown>)[k], `podTemplate ${k}`).toEqual(v);
    expect(step?.env).toEqual(expect.arrayContaining([{ name: 'T', value: 't' }]));
    expect(built.pod.spec.volumes?.map((v) => v.name)).toEqual(expect.arrayContaining(['v', 'tv']));
    // every field a rule calls copied is one of those checked above
    const checked = new Set([...Object.keys(k8s), ...Object.keys(sidecarOnly), ...Object.keys(template), 'volumes']);
    const unchecked = paths.filter((p) => ruleFor(p)?.how === 'copied')
      .map((p) => p.replace(/^(PodTemplate:|[A-Za-z]+:spec\.((steps|sidecars)\[\]\.)?)/, '').split(/[.[]/)[0] ?? '')
      .filter((f) => !checked.has(f));
    expect([...new Set(unchecked)]).toEqual([]);
  });
});
