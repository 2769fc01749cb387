import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { authorize, bootstrapClusterRoles, ruleAllows, selectorMatches } from './rbac.js';

const role = (name: string, rules: object[], labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules } as KubeObject);
const binding = (kind: string, name: string, ns: string | undefined, roleRef: object, subjects: object[]): KubeObject =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, roleRef, subjects } as KubeObject);

describe('RBAC evaluation', () => {
  it('matches rules as Kubernetes does: wildcards, subresources, resourceNames, non-resource URLs', () => {
    expect(ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verb: 'create', group: 'tekton.dev', resource: 'pipelineruns' })).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verb: 'get', group: '', resource: 'pods', subresource: 'log' })).toBe(false);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, { verb: 'get', group: '', resource: 'pods', subresource: 'log' })).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, { verb: 'get', group: '', resource: 'pods', subresource: 'status' })).toBe(true);
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, { verb: 'get', group: '', resource: 'secrets', name: 'b' })).toBe(false);
    expect(ruleAllows({ verbs: ['get'], nonResourceURLs: ['/healthz*'] }, { verb: 'get', path: '/healthz/ready' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }, { key: 'b', operator: 'DoesNotExist' }] }, { a: '1' })).toBe(true);
  });

  it('aggregates ClusterRoles by label into edit; RoleBindings count only in their namespace; system:masters may do anything', () => {
    const [, , edit] = bootstrapClusterRoles();
    const objs = {
      clusterRoles: [edit as KubeObject, role('runs', [{ verbs: ['create'], apiGroups: ['tekton.dev'], resources: ['pipelineruns'] }], { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' })],
      clusterRoleBindings: [], roles: [],
      roleBindings: [binding('RoleBinding', 'b', 'team', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'User', name: 'alice' }])],
    };
    const ask = { verb: 'create', group: 'tekton.dev', resource: 'pipelineruns' };
    expect(authorize(objs, { user: 'alice', groups: [] }, { ...ask, namespace: 'team' }).allowed).toBe(true);
    expect(authorize(objs, { user: 'alice', groups: [] }, { ...ask, namespace: 'other' }).allowed).toBe(false);
    expect(authorize(objs, { user: 'alice', groups: [] }, ask).allowed).toBe(false);
    expect(authorize(objs, { user: 'x', groups: ['system:masters'] }, ask).allowed).toBe(true);
  });
});
