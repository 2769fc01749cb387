/**
 * RBAC evaluation with Kubernetes' semantics, for access reviews (`kubectl auth can-i`): ClusterRoleBindings and the
 * namespace's RoleBindings whose subjects name the user, one of its groups or (as `system:serviceaccount:NS:NAME`)
 * its ServiceAccount grant the rules of their Role or ClusterRole; a ClusterRole with an `aggregationRule` has the
 * rules of every ClusterRole its selectors match (what kube-controller-manager writes into it). `system:masters`
 * may do everything. Pure: the caller passes the RBAC objects.
 */
import { matchesSelector } from '../../api/label-selector.js';
import type { KubeObject, LabelSelector } from '../../api/types.js';

/** Who asks. */
export interface UserInfo {
  user: string;
  groups: string[];
}

/** What is asked (a resource request, or a non-resource path). */
export interface AccessAttributes {
  verb: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject { kind: string; name: string; namespace?: string }
interface Binding extends KubeObject { subjects?: Subject[]; roleRef?: { kind: string; name: string } }
interface Selector { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> }
interface RoleObj extends KubeObject { rules?: Rule[]; aggregationRule?: { clusterRoleSelectors?: Selector[] } }

/** The RBAC objects an evaluation reads. */
export interface RbacObjects {
  clusterRoles: KubeObject[];
  clusterRoleBindings: KubeObject[];
  roles: KubeObject[];
  roleBindings: KubeObject[];
}

/** Label selector matching (apimachinery's), with the labels last as the RBAC code reads it. */
export function selectorMatches(sel: Selector, labels: Record<string, string>): boolean {
  return matchesSelector(labels, sel as LabelSelector);
}

/** A ClusterRole's rules, its aggregated ones included. */
export function clusterRoleRules(role: RoleObj, all: readonly RoleObj[]): Rule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!selectors) return role.rules ?? [];
  const picked = all.filter((r) => r !== role && selectors.some((s) => selectorMatches(s, r.metadata.labels ?? {})));
  return [...(role.rules ?? []), ...picked.flatMap((r) => r.rules ?? [])];
}

function subjectMatches(s: Subject, who: UserInfo, bindingNs?: string): boolean {
  if (s.kind === 'User') return s.name === who.user;
  if (s.kind === 'Group') return who.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return who.user === `system:serviceaccount:${s.namespace ?? bindingNs ?? ''}:${s.name}`;
  return false;
}

const has = (list: readonly string[] | undefined, v: string): boolean => !!list && (list.includes('*') || list.includes(v));

export function ruleAllows(rule: Rule, a: AccessAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === a.path || (u.endsWith('*') && a.path!.startsWith(u.slice(0, -1))));
  }
  if (!has(rule.apiGroups, a.group ?? '')) return false;
  const res = a.subresource ? `${a.resource ?? ''}/${a.subresource}` : a.resource ?? '';
  const resources = rule.resources ?? [];
  const resOk = resources.includes('*') || resources.includes(res) || (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  if (!resOk) return false;
  return !rule.resourceNames || rule.resourceNames.length === 0 || (a.name !== undefined && rule.resourceNames.includes(a.name));
}

/** Whether `who` may do `a`, and why (the binding that allows it), as the RBAC authorizer answers. */
export function authorize(objs: RbacObjects, who: UserInfo, a: AccessAttributes): { allowed: boolean; reason: string } {
  if (who.groups.includes('system:masters')) return { allowed: true, reason: 'member of system:masters' };
  const clusterRoles = objs.clusterRoles as RoleObj[];
  const rulesOf = (ref: { kind: string; name: string } | undefined, ns?: string): Rule[] => {
    if (!ref) return [];
    if (ref.kind === 'ClusterRole') {
      const role = clusterRoles.find((r) => r.metadata.name === ref.name);
      return role ? clusterRoleRules(role, clusterRoles) : [];
    }
    const role = (objs.roles as RoleObj[]).find((r) => r.metadata.name === ref.name && r.metadata.namespace === ns);
    return role?.rules ?? [];
  };
  for (const b of objs.clusterRoleBindings as Binding[]) {
    if (!(b.subjects ?? []).some((s) => subjectMatches(s, who))) continue;
    if (rulesOf(b.roleRef).some((r) => ruleAllows(r, a))) return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${b.roleRef?.name ?? ''}"` };
  }
  if (a.namespace) {
    for (const b of objs.roleBindings as Binding[]) {
      if (b.metadata.namespace !== a.namespace || !(b.subjects ?? []).some((s) => subjectMatches(s, who, b.metadata.namespace))) continue;
      if (rulesOf(b.roleRef, a.namespace).some((r) => ruleAllows(r, a))) {
        return { allowed: true, reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}" of ${b.roleRef?.kind ?? ''} "${b.roleRef?.name ?? ''}"` };
      }
    }
  }
  return { allowed: false, reason: '' };
}

/** Kubernetes' default user-facing ClusterRoles: cluster-admin, and admin/edit/view filled by aggregation. */
export function bootstrapClusterRoles(): KubeObject[] {
  const meta = (name: string) => ({ name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } });
  const aggregated = (name: string, label: string): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(name),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/${label}`]: 'true' } }] }, rules: [],
  } as KubeObject);
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('cluster-admin'), rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] } as KubeObject,
    aggregated('admin', 'aggregate-to-admin'),
    aggregated('edit', 'aggregate-to-edit'),
    aggregated('view', 'aggregate-to-view'),
  ];
}
