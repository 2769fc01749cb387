/**
 * RBAC as users expect it (issue 15), against the embedded API server with real kubectl: config/'s aggregated
 * roles fill Kubernetes' built-in edit/view, so `kubectl auth can-i create pipelineruns --as alice` says yes for a
 * user bound to `edit` in that namespace and no elsewhere; groups, ServiceAccounts, ClusterRoleBindings and
 * SubjectAccessReview follow Kubernetes' semantics.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './helpers.js';

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
  t = await startTestApi();
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
