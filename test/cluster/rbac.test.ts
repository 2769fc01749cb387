/**
 * RBAC as users expect it (issue 15), against the embedded API server with real kubectl: config/'s aggregated
 * roles fill Kubernetes' built-in edit/view, so `kubectl auth can-i create pipelineruns --as alice` says yes for a
 * user bound to `edit` in that namespace and no elsewhere; groups, ServiceAccounts, ClusterRoleBindings and
 * SubjectAccessReview follow Kubernetes' semantics. With `--authorization-mode RBAC`, requests impersonating a user
 * (`kubectl --as`, a trigger's serviceAccountName) are authorized by the same rules, with kube-apiserver's 403.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListener, KubeObject } from '../../src/api/types.js';
import { startEventListenerManager } from '../../src/triggers/index.js';
import { startTestApi, waitFor, type TestApi } from './helpers.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
let t: TestApi;
const kubectl = async (...args: string[]): Promise<string> => (await run('kubectl', ['--kubeconfig', t.kubeconfig, '--cache-dir', path.join(t.dir, 'kc'), ...args])).stdout.trim();
const canI = async (...args: string[]): Promise<string> => {
  try {
    return await kubectl('auth', 'can-i', ...args);
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? '').trim() || String(err);
  }
};

beforeAll(async () => {
  t = await startTestApi({ authorizationMode: 'RBAC' });
  await kubectl('apply', '-f', path.join(root, 'config', '202-clusterrole-aggregate.yaml'));
  await kubectl('create', 'namespace', 'team');
  await kubectl('create', 'rolebinding', 'alice-edit', '--clusterrole=edit', '--user=alice', '-n', 'team');
  await kubectl('create', 'rolebinding', 'bob-view', '--clusterrole=view', '--user=bob', '-n', 'team');
  await kubectl('create', 'clusterrole', 'run-reader', '--verb=get,list', '--resource=pipelineruns.tekton.dev');
  await kubectl('create', 'clusterrolebinding', 'auditors-read', '--clusterrole=run-reader', '--group=auditors');
  await kubectl('create', 'role', 'el-creator', '--verb=create', '--resource=pipelineruns.tekton.dev', '-n', 'team');
  await kubectl('create', 'rolebinding', 'el-sa', '--role=el-creator', '--serviceaccount=team:el-sa', '-n', 'team');
}, 60_000);
afterAll(async () => t?.close());

describe('kubectl auth can-i (SelfSubjectAccessReview with impersonation)', () => {
  it('edit and view, filled by config/\'s aggregated roles, in the bound namespace only', async () => {
    expect(await canI('create', 'pipelineruns', '--as', 'alice', '-n', 'team')).toBe('yes');
    expect(await canI('delete', 'eventlisteners', '--as', 'alice', '-n', 'team')).toBe('yes');
    expect(await canI('create', 'pipelineruns', '--as', 'alice', '-n', 'other')).toBe('no');
    expect(await canI('get', 'pipelineruns', '--as', 'bob', '-n', 'team')).toBe('yes');
    expect(await canI('create', 'pipelineruns', '--as', 'bob', '-n', 'team')).toBe('no');
    expect(await canI('create', 'pipelineruns', '--as', 'mallory', '-n', 'team')).toBe('no');
  });

  it('groups through ClusterRoleBindings, ServiceAccounts through RoleBindings to a Role, and the admin token', async () => {
    expect(await canI('list', 'pipelineruns', '--as', 'carol', '--as-group', 'auditors', '-n', 'anywhere')).toBe('yes');
    expect(await canI('delete', 'pipelineruns', '--as', 'carol', '--as-group', 'auditors', '-n', 'anywhere')).toBe('no');
    expect(await canI('create', 'pipelineruns', '--as', 'system:serviceaccount:team:el-sa', '-n', 'team')).toBe('yes');
    expect(await canI('create', 'taskruns', '--as', 'system:serviceaccount:team:el-sa', '-n', 'team')).toBe('no');
    expect(await canI('create', 'pipelineruns', '-n', 'team')).toBe('yes');
  });

  it('SubjectAccessReview answers for a named user, and reviews are never stored', async () => {
    const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'alice', resourceAttributes: { namespace: 'team', verb: 'create', group: 'tekton.dev', resource: 'pipelineruns' } } };
    const answer = await t.client.request<{ status: { allowed: boolean; reason?: string } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review);
    expect(answer.status).toEqual({ allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-edit/team" of ClusterRole "edit"' });
    const denied = await t.client.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { ...review, spec: { ...review.spec, user: 'bob' } });
    expect(denied.status.allowed).toBe(false);
    expect(await kubectl('get', 'clusterroles', '-o', 'name')).toContain('clusterrole.rbac.authorization.k8s.io/edit');
  });
});

const kubectlFails = async (...args: string[]): Promise<string> => {
  try {
    await kubectl(...args);
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded`);
};

describe('requests impersonating a user are authorized by RBAC (--authorization-mode RBAC)', () => {
  it('kubectl --as: what the bindings allow works, the rest is Forbidden with kube-apiserver\'s message', async () => {
    const pr = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {name: by-alice, namespace: team}\nspec:\n  pipelineRef: {name: p}\n';
    const file = path.join(t.dir, 'pr.yaml');
    (await import('node:fs')).writeFileSync(file, pr);
    expect(await kubectl('create', '-f', file, '--as', 'alice')).toBe('pipelinerun.tekton.dev/by-alice created');
    expect(await kubectl('get', 'pipelineruns', '-n', 'team', '--as', 'bob', '-o', 'name')).toBe('pipelinerun.tekton.dev/by-alice');
    expect(await kubectlFails('delete', 'pipelinerun', 'by-alice', '-n', 'team', '--as', 'bob'))
      .toContain('pipelineruns.tekton.dev "by-alice" is forbidden: User "bob" cannot delete resource "pipelineruns" in API group "tekton.dev" in the namespace "team"');
    expect(await kubectlFails('get', 'pipelineruns', '-n', 'default', '--as', 'alice'))
      .toContain('pipelineruns.tekton.dev is forbidden: User "alice" cannot list resource "pipelineruns" in API group "tekton.dev" in the namespace "default"');
    expect(await kubectlFails('get', 'namespaces', '--as', 'alice'))
      .toContain('namespaces is forbidden: User "alice" cannot list resource "namespaces" in API group "" at the cluster scope');
    expect(await kubectl('get', 'pipelineruns', '-A', '--as', 'carol', '--as-group', 'auditors', '-o', 'name')).toBe('pipelinerun.tekton.dev/by-alice');
    expect(await kubectl('get', 'namespaces', '-o', 'name')).toContain('namespace/team'); // the admin token itself
  });

  it('a trigger\'s serviceAccountName creates only what its account may create', async () => {
    await kubectl('create', 'serviceaccount', 'el-sa', '-n', 'team');
    const tmpl = (kind: string, name: string) => ({
      name, serviceAccountName: 'el-sa', bindings: [],
      template: { spec: { resourcetemplates: [{ apiVersion: 'tekton.dev/v1', kind, metadata: { generateName: `${name}-` }, spec: kind === 'PipelineRun' ? { pipelineRef: { name: 'p' } } : { taskRef: { name: 't' } } }] } },
    });
    await t.client.create({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener', metadata: { name: 'rbac', namespace: 'team' },
      spec: { triggers: [tmpl('PipelineRun', 'may'), tmpl('TaskRun', 'may-not')] } } as KubeObject);
    const manager = await startEventListenerManager({ client: t.client });
    try {
      const url = await waitFor('EL rbac', async () => (await t.client.get<EventListener>({ apiVersion: 'triggers.tekton.dev/v1beta1', kind: 'EventListener' }, 'team', 'rbac')).status?.address?.url);
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      const body = await res.json() as { triggers: Array<{ trigger: string; status: string; message?: string }> };
      const byName = Object.fromEntries(body.triggers.map((o) => [o.trigger, o]));
      expect(byName.may?.status).toBe('created');
      expect(byName['may-not']?.status).toBe('error');
      expect(byName['may-not']?.message).toContain('taskruns.tekton.dev is forbidden: User "system:serviceaccount:team:el-sa" cannot create resource "taskruns" in API group "tekton.dev" in the namespace "team"');
      expect((await t.client.list({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun' }, 'team')).items).toEqual([]);
    } finally {
      await manager.close();
    }
  }, 60_000);
});
