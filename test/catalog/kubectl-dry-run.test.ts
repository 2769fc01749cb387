/**
 * catalog/task/kubectl-dry-run/0.1 run for real (embedded mode, host runtime, this machine's kubectl): a
 * kustomization rendered and checked offline, plain files, broken manifests failing, and a check against a
 * cluster's discovery (the embedded API server itself, through a kubeconfig workspace).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, explain, hasCommand, hostRuntimeMissing, loadYaml } from './harness.js';

const missing = hostRuntimeMissing() ?? (hasCommand('kubectl') ? undefined : 'kubectl is not installed');
if (missing) console.warn(`skipping kubectl-dry-run catalog tests: ${missing}`);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: registry.example/web:old}]
`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const KUSTOMIZATION = 'resources: [deployment.yaml, service.yaml]\nimages:\n  - name: registry.example/web\n    newTag: abc123\n';

describe.skipIf(!!missing)('catalog kubectl-dry-run 0.1', () => {
  let cluster: Cluster;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tkt-kubectl-'));
    cluster = await Cluster.start();
    await cluster.apply(loadYaml('catalog/task/kubectl-dry-run/0.1/kubectl-dry-run.yaml'));
  });
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function check(name: string, files: Record<string, string>, params: Array<{ name: string; value: string }> = [], kubeconfigDir?: string) {
    const src = join(dir, name);
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(src, f, '..'), { recursive: true });
      writeFileSync(join(src, f), text);
    }
    const workspaces: object[] = [{ name: 'source', persistentVolumeClaim: { claimName: await cluster.hostDirClaim(src) } }];
    if (kubeconfigDir) workspaces.push({ name: 'kubeconfig', persistentVolumeClaim: { claimName: await cluster.hostDirClaim(kubeconfigDir) } });
    return cluster.runTask({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name }, spec: { taskRef: { name: 'kubectl-dry-run' }, params, workspaces } });
  }

  it('renders a kustomization and checks every object offline', async () => {
    const f = await check('kdr-kustomize', { 'deploy/kustomization.yaml': KUSTOMIZATION, 'deploy/deployment.yaml': DEPLOYMENT, 'deploy/service.yaml': SERVICE }, [{ name: 'MANIFESTS', value: 'deploy' }]);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.count).toBe('2');
    expect((f.results.resources ?? '').split(',').sort()).toEqual(['deployment.apps/web', 'service/web']);
    expect(f.logs).toContain('rendering deploy with kubectl kustomize');
  });

  it('checks plain manifest files', async () => {
    const f = await check('kdr-plain', { 'k8s/deployment.yaml': DEPLOYMENT, 'k8s/svc/service.yaml': SERVICE }, [{ name: 'MANIFESTS', value: 'k8s' }]);
    expect(f.succeeded, explain(f)).toBe(true);
    expect(f.results.count).toBe('2');
  });

  it('fails on malformed YAML, a missing kind, and a kustomization naming a missing file', async () => {
    const bad = await check('kdr-bad-yaml', { 'm.yaml': 'apiVersion: v1\nkind: Service\nmetadata: [\n' }, [{ name: 'MANIFESTS', value: 'm.yaml' }]);
    expect(bad.succeeded).toBe(false);
    const noKind = await check('kdr-no-kind', { 'm.yaml': 'apiVersion: v1\nmetadata: {name: x}\n' }, [{ name: 'MANIFESTS', value: 'm.yaml' }]);
    expect(noKind.succeeded).toBe(false);
    expect(noKind.logs).toMatch(/[Kk]ind/);
    const missingRes = await check('kdr-missing', { 'kustomization.yaml': 'resources: [nope.yaml]\n' });
    expect(missingRes.succeeded).toBe(false);
  });

  it('with a kubeconfig, checks kinds against the cluster (the embedded API server)', async () => {
    const kc = join(dir, 'kubeconfig');
    mkdirSync(kc, { recursive: true });
    copyFileSync(cluster.embedded.kubeconfigPath, join(kc, 'kubeconfig'));
    const ok = await check('kdr-server', { 'deployment.yaml': DEPLOYMENT }, [{ name: 'MANIFESTS', value: 'deployment.yaml' }], kc);
    expect(ok.succeeded, explain(ok)).toBe(true);
    expect(ok.results.resources).toBe('deployment.apps/web');
    const unknown = await check('kdr-server-unknown', { 'x.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n' }, [{ name: 'MANIFESTS', value: 'x.yaml' }], kc);
    expect(unknown.succeeded).toBe(false);
    expect(unknown.logs).toMatch(/Widget/);
  });
});
