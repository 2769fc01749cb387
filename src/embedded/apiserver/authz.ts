/**
 * Request authorization by RBAC for impersonated requests, when the server runs with `authorizationMode: 'RBAC'`
 * (`tkt up --authorization-mode RBAC`, kube-apiserver's flag; the default is AlwaysAllow). The server's one bearer token belongs to a cluster admin
 * (`system:masters`), who may impersonate anyone, as on Kubernetes; a request carrying `Impersonate-User` (kubectl
 * `--as`, `--as-group`; a controller acting as a ServiceAccount) is then authorized as that user with Kubernetes' RBAC
 * semantics (rbac.ts) and refused with kube-apiserver's 403 message when no binding allows it. Requests without the
 * header are the admin's and are not checked. As Kubernetes' `system:basic-user` and `system:discovery` grant every
 * authenticated user, self access reviews and non-resource paths (discovery, OpenAPI, version) are open to all.
 */
import type { IncomingMessage } from 'node:http';
import type { ServerContext } from './context.js';
import { StatusError } from './errors.js';
import { authorize, type AccessAttributes, type RbacObjects, type UserInfo } from './rbac.js';
import type { ResourceRoute } from './route.js';

const RBAC = 'rbac.authorization.k8s.io';

/** The user a request impersonates, or undefined when it carries no `Impersonate-User`. */
export function impersonated(req: IncomingMessage): UserInfo | undefined {
  const user = req.headersDistinct['impersonate-user']?.[0];
  if (!user) return undefined;
  const groups = [...(req.headersDistinct['impersonate-group'] ?? [])];
  const sa = /^system:serviceaccount:([^:]+):/.exec(user);
  if (sa) groups.push('system:serviceaccounts', `system:serviceaccounts:${sa[1]}`);
  return { user, groups: [...groups, 'system:authenticated'] };
}

/** The RBAC objects stored now. */
export function rbacObjects(ctx: ServerContext): RbacObjects {
  return {
    clusterRoles: ctx.store.list(`${RBAC}/clusterroles`), clusterRoleBindings: ctx.store.list(`${RBAC}/clusterrolebindings`),
    roles: ctx.store.list(`${RBAC}/roles`), roleBindings: ctx.store.list(`${RBAC}/rolebindings`),
  };
}

/** The RBAC verb of a resource request, as kube-apiserver's request info names it. */
export function requestVerb(method: string, route: Pick<ResourceRoute, 'name' | 'sub'>, watch: boolean): string {
  if (route.sub === 'exec' || route.sub === 'attach' || route.sub === 'portforward') return 'create';
  switch (method) {
    case 'GET': case 'HEAD': return watch ? 'watch' : route.name === undefined ? 'list' : 'get';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return route.name === undefined ? 'deletecollection' : 'delete';
    default: return method.toLowerCase();
  }
}

/** kube-apiserver's Forbidden for a request RBAC does not allow. */
export function forbiddenFor(who: UserInfo, a: AccessAttributes): StatusError {
  const resource = a.subresource ? `${a.resource ?? ''}/${a.subresource}` : a.resource ?? '';
  const qualified = a.group ? `${a.resource ?? ''}.${a.group}` : a.resource ?? '';
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${who.user}" cannot ${a.verb} resource "${resource}" in API group "${a.group ?? ''}" ${scope}`;
  return new StatusError(403, 'Forbidden', message, { ...(a.name ? { name: a.name } : {}), group: a.group ?? '', kind: a.resource ?? '' });
}

/** Throws 403 when the request impersonates a user whom RBAC does not allow it; a no-op for the admin's own requests. */
export function authorizeRequest(ctx: ServerContext, req: IncomingMessage, route: ResourceRoute, watch: boolean): void {
  if (ctx.authorizationMode !== 'RBAC') return;
  const who = impersonated(req);
  if (!who) return;
  const { info } = route;
  if (info.group === 'authorization.k8s.io' && info.plural.startsWith('selfsubject')) return; // system:basic-user
  const a: AccessAttributes = {
    verb: requestVerb(req.method ?? 'GET', route, watch), group: info.group, resource: info.plural,
    ...(route.sub ? { subresource: route.sub } : {}), ...(route.namespace ? { namespace: route.namespace } : {}), ...(route.name ? { name: route.name } : {}),
  };
  if (!authorize(rbacObjects(ctx), who, a).allowed) throw forbiddenFor(who, a);
}
