/**
 * config/: RBAC rules equal the permission lists kept next to the code (no more, no less, no wildcards), the
 * kustomization covers every CRD, the controller Deployment is hardened, and `kubectl apply -k config/`
 * (dry run, then for real) works against the embedded API server.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- assertions read loosely typed YAML/JSON objects */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  CONTROLLER_PERMISSIONS, EVENTLISTENER_CLUSTER_PERMISSIONS, EVENTLISTENER_PERMISSIONS, permissionSet, type Permission,
} from '../../src/cluster/permissions.js';
import { startTestApi, type TestApi } from './helpers.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const configDir = path.join(root, 'config');

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }
interface Doc { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; rules?: Rule[]; [k: string]: any }

function configDocs(): Doc[] {
  return fs.readdirSync(configDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(configDir, f), 'utf8')).map((d) => d.toJS() as Doc));
}

function granted(doc: Doc | undefined): Set<string> {
  expect(doc, 'role exists').toBeDefined();
  const out = new Set<string>();
  for (const r of doc!.rules ?? []) for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
  return out;
}

const sorted = (s: Set<string>) => [...s].sort();
const byScope = (perms: readonly Permission[], scope: Permission['scope']) => perms.filter((p) => p.scope === scope);

describe('RBAC in config/', () => {
  const docs = configDocs();
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

  it('has no wildcard verbs, resources or groups', () => {
    for (const d of docs.filter((x) => x.kind === 'ClusterRole' || x.kind === 'Role')) {
      for (const r of d.rules ?? []) {
        expect([...r.apiGroups, ...r.resources, ...r.verbs].filter((x) => x.includes('*')), `${d.metadata.name}`).toEqual([]);
      }
    }
  });

  it('grants the controller exactly the permissions its code uses', () => {
    expect(sorted(granted(find('ClusterRole', 'tektite-pipelines-controller-cluster-access')))).toEqual(sorted(permissionSet(byScope(CONTROLLER_PERMISSIONS, 'cluster'))));
    const role = find('Role', 'tektite-pipelines-controller');
    expect(role?.metadata.namespace).toBe('tektite-pipelines');
    expect(sorted(granted(role))).toEqual(sorted(permissionSet(byScope(CONTROLLER_PERMISSIONS, 'system-namespace'))));
  });

  it('grants EventListener sinks exactly what the sink code uses', () => {
    expect(sorted(granted(find('ClusterRole', 'tekton-triggers-eventlistener-roles')))).toEqual(sorted(permissionSet(EVENTLISTENER_PERMISSIONS)));
    expect(sorted(granted(find('ClusterRole', 'tekton-triggers-eventlistener-clusterroles')))).toEqual(sorted(permissionSet(EVENTLISTENER_CLUSTER_PERMISSIONS)));
  });

  it('aggregates Tekton\'s and Triggers\' namespaced kinds into the built-in admin/edit (all verbs) and view (read) roles', () => {
    const kinds = ['tekton.dev/tasks', 'tekton.dev/taskruns', 'tekton.dev/pipelines', 'tekton.dev/pipelineruns', 'tekton.dev/customruns', 'tekton.dev/stepactions',
      'triggers.tekton.dev/eventlisteners', 'triggers.tekton.dev/triggers', 'triggers.tekton.dev/triggerbindings', 'triggers.tekton.dev/triggertemplates', 'triggers.tekton.dev/interceptors'];
    const edit = find('ClusterRole', 'tektite-aggregate-edit');
    expect(edit?.metadata.labels).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' });
    const editVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
    expect(sorted(granted(edit))).toEqual(kinds.flatMap((k) => editVerbs.map((v) => `${k}:${v}`)).sort());
    const view = find('ClusterRole', 'tektite-aggregate-view');
    expect(view?.metadata.labels).toMatchObject({ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    expect(view?.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-edit']).toBeUndefined();
    expect(sorted(granted(view))).toEqual(kinds.flatMap((k) => ['get', 'list', 'watch'].map((v) => `${k}:${v}`)).sort());
  });

  it('lets the webhook keep its certificate Secret and write caBundles, and nothing more', () => {
    expect(sorted(granted(find('Role', 'tektite-webhook')))).toEqual(['/secrets:create', '/secrets:get', '/secrets:update']);
    expect(sorted(granted(find('ClusterRole', 'tektite-webhook-cluster-access')))).toEqual([
      'admissionregistration.k8s.io/mutatingwebhookconfigurations:list', 'admissionregistration.k8s.io/mutatingwebhookconfigurations:update',
      'admissionregistration.k8s.io/validatingwebhookconfigurations:list', 'admissionregistration.k8s.io/validatingwebhookconfigurations:update',
      'apiextensions.k8s.io/customresourcedefinitions:list', 'apiextensions.k8s.io/customresourcedefinitions:update',
    ]);
    expect(find('Deployment', 'tektite-webhook')?.spec.template.spec.serviceAccountName).toBe('tektite-webhook');
  });

  it('binds the controller roles to the controller ServiceAccount', () => {
    for (const [kind, name] of [['ClusterRoleBinding', 'tektite-pipelines-controller-cluster-access'], ['RoleBinding', 'tektite-pipelines-controller']]) {
      const b = find(kind!, name!);
      expect(b?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'tektite-pipelines-controller', namespace: 'tektite-pipelines' }]);
      expect(b?.roleRef.name).toBe(name);
    }
  });

  it('runs the controller as a hardened 2-replica Deployment with probes on the health endpoints', () => {
    const d = find('Deployment', 'tektite-pipelines-controller');
    expect(d?.spec.replicas).toBe(2);
    const pod = d?.spec.template.spec;
    expect(pod.serviceAccountName).toBe('tektite-pipelines-controller');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const c = pod.containers[0];
    expect(c.args).toEqual(['controller']);
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(c.env.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(['SYSTEM_NAMESPACE', 'POD_NAME', 'TEKTITE_IMAGE']));
  });

  it('includes every CRD of crds/ through crds/Kustomization', () => {
    const k = parseAllDocuments(fs.readFileSync(path.join(root, 'crds', 'Kustomization'), 'utf8'))[0]!.toJS() as { resources: string[] };
    const files = fs.readdirSync(path.join(root, 'crds')).filter((f) => f.endsWith('.yaml')).sort();
    expect([...k.resources].sort()).toEqual(files);
    expect(files.length).toBeGreaterThan(0);
  });
});

describe('kubectl apply -k config/ against the embedded API server', () => {
  let t: TestApi;
  const kubectl = (args: string[]) => new Promise<{ code: number; out: string }>((resolve) => {
    execFile('kubectl', ['--kubeconfig', t.kubeconfig, '--cache-dir', path.join(t.dir, 'kube-cache'), ...args], { cwd: root, timeout: 60_000 }, (err, so, se) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${so}${se}` });
    });
  });
  beforeAll(async () => { t = await startTestApi(); });
  afterAll(async () => { await t.close(); });

  it('dry-runs, installs, and dry-runs again cleanly', async () => {
    // As on a real cluster, a server-side dry run cannot create namespaced objects in a namespace that does not exist yet.
    expect((await kubectl(['create', 'namespace', 'tektite-pipelines'])).code).toBe(0);
    const dry = await kubectl(['apply', '-k', 'config/', '--dry-run=server']);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('deployment.apps/tektite-pipelines-controller created (server dry run)');
    expect(dry.out).toContain('customresourcedefinition.apiextensions.k8s.io/pipelineruns.tekton.dev created (server dry run)');
    expect((await kubectl(['get', 'deployments', '-n', 'tektite-pipelines', '-o', 'name'])).out.trim()).toBe('');
    const real = await kubectl(['apply', '-k', 'config/']);
    expect(real.code, real.out).toBe(0);
    const cm = await kubectl(['get', 'configmap', 'config-defaults', '-n', 'tektite-pipelines', '-o', 'jsonpath={.data.default-timeout-minutes}']);
    expect(cm.out).toBe('60');
    const again = await kubectl(['apply', '-k', 'config/', '--dry-run=server']);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('deployment.apps/tektite-pipelines-controller unchanged (server dry run)');
  });
});
