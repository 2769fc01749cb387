/**
 * Every API permission the cluster processes use, each with the code that needs it. config/200-*.yaml grants
 * exactly these (test/cluster/rbac.test.ts compares them, rejects wildcards, and the e2e test checks every
 * request the controllers really make against them). Change this list together with the code and the YAML.
 */

/** One permission: verbs on a resource (`pods`, `taskruns/status`) of an API group ('' = core). */
export interface Permission {
  group: string;
  resource: string;
  verbs: readonly string[];
  /** Where the rule lives: the cluster-wide ClusterRole, or the Role in the system namespace. */
  scope: 'cluster' | 'system-namespace';
  /** The code that makes these calls. */
  usedBy: string;
}

/** The controller process (`tkt controller`). */
export const CONTROLLER_PERMISSIONS: readonly Permission[] = [
  { group: 'tekton.dev', resource: 'pipelineruns', verbs: ['list', 'watch', 'create', 'patch'], scope: 'cluster', usedBy: 'Informer in controller/index.ts and controller/metrics; child PipelineRuns (Pipelines in Pipelines) created and cancelled by the PipelineRun reconciler; patch also = labels/annotations from the Pipeline (controller/run-meta.ts)' },
  { group: 'tekton.dev', resource: 'pipelineruns/status', verbs: ['update', 'patch'], scope: 'cluster', usedBy: 'writeStatus in controller/pipelinerun/reconciler.ts (merge patches of what changed, runtime/status-writer.ts)' },
  { group: 'tekton.dev', resource: 'pipelineruns/finalizers', verbs: ['update'], scope: 'cluster', usedBy: 'PVCs and TaskRuns owned by a PipelineRun with blockOwnerDeletion (OwnerReferencesPermissionEnforcement)' },
  { group: 'tekton.dev', resource: 'taskruns', verbs: ['list', 'watch', 'create', 'patch'], scope: 'cluster', usedBy: 'Informer; PipelineRun reconciler creates children and patches spec.status to cancel; labels/annotations from the Task (controller/run-meta.ts)' },
  { group: 'tekton.dev', resource: 'taskruns/status', verbs: ['update', 'patch'], scope: 'cluster', usedBy: 'writeStatus in controller/taskrun/reconciler.ts (merge patches of what changed, runtime/status-writer.ts)' },
  { group: 'tekton.dev', resource: 'taskruns/finalizers', verbs: ['update'], scope: 'cluster', usedBy: 'Pods owned by a TaskRun with blockOwnerDeletion' },
  { group: 'tekton.dev', resource: 'customruns', verbs: ['list', 'watch', 'create', 'patch'], scope: 'cluster', usedBy: 'CustomRun informer; PipelineRun reconciler creates CustomRuns of custom tasks and patches spec.status to cancel' },
  { group: 'tekton.dev', resource: 'customruns/status', verbs: ['update'], scope: 'cluster', usedBy: 'writeStatus in controller/customrun/wait.ts (the Wait custom task)' },
  { group: 'tekton.dev', resource: 'tasks', verbs: ['get', 'list', 'watch'], scope: 'cluster', usedBy: 'Task informer (controller/index.ts) and taskRef resolution, also the cluster resolver' },
  { group: 'tekton.dev', resource: 'pipelines', verbs: ['get', 'list', 'watch'], scope: 'cluster', usedBy: 'Pipeline informer and pipelineRef resolution, also the cluster resolver' },
  { group: 'tekton.dev', resource: 'stepactions', verbs: ['get', 'list', 'watch'], scope: 'cluster', usedBy: 'StepAction informer and step ref resolution, also the cluster resolver' },
  { group: '', resource: 'secrets', verbs: ['get'], scope: 'cluster', usedBy: 'resolver credentials named by params (controller/resolution/secrets.ts: git token, http auth, bundle registry); creds-init Secrets of the run\'s ServiceAccount (controller/taskrun/creds.ts)' },
  { group: '', resource: 'serviceaccounts', verbs: ['get', 'list', 'watch'], scope: 'cluster', usedBy: 'ServiceAccount informer (controller/index.ts): creds-init secrets (controller/taskrun/creds.ts) and imagePullSecrets (controller/entrypoint-lookup)' },
  { group: '', resource: 'pods', verbs: ['list', 'watch', 'create', 'delete', 'patch'], scope: 'cluster', usedBy: 'TaskRun reconciler: pod informer, create, delete on retry/cancel, patch for sidecar ready/stop' },
  { group: '', resource: 'persistentvolumeclaims', verbs: ['create'], scope: 'cluster', usedBy: 'volumeClaimTemplate workspaces (controller/pipelinerun/reconciler.ts)' },
  { group: '', resource: 'events', verbs: ['create'], scope: 'cluster', usedBy: 'run Events (Started/Running/Succeeded/Failed) through kube/events.ts (controller/run-meta.ts)' },
  { group: 'triggers.tekton.dev', resource: 'eventlisteners', verbs: ['list', 'watch'], scope: 'cluster', usedBy: 'controller/eventlistener informer' },
  { group: 'triggers.tekton.dev', resource: 'eventlisteners/status', verbs: ['update'], scope: 'cluster', usedBy: 'controller/eventlistener writeStatus' },
  { group: 'triggers.tekton.dev', resource: 'eventlisteners/finalizers', verbs: ['update'], scope: 'cluster', usedBy: 'el-<name> Deployment/Service owned by the EventListener with blockOwnerDeletion' },
  { group: 'apps', resource: 'deployments', verbs: ['get', 'list', 'watch', 'create', 'update'], scope: 'cluster', usedBy: 'controller/eventlistener (get after an AlreadyExists race)' },
  { group: '', resource: 'services', verbs: ['get', 'list', 'watch', 'create', 'update'], scope: 'cluster', usedBy: 'controller/eventlistener (get after an AlreadyExists race)' },
  { group: 'coordination.k8s.io', resource: 'leases', verbs: ['get', 'create', 'update'], scope: 'system-namespace', usedBy: 'controller/leader' },
  { group: '', resource: 'configmaps', verbs: ['get', 'list', 'watch'], scope: 'system-namespace', usedBy: 'Tekton\'s ConfigMaps, watched (cluster/live-config.ts) and config-leader-election read at start' },
];

/** EventListener sinks (`tkt eventlistener`, src/triggers), namespaced part (bound per namespace). */
export const EVENTLISTENER_PERMISSIONS: readonly Permission[] = [
  ...['eventlisteners', 'triggers', 'triggerbindings', 'triggertemplates', 'interceptors'].map((resource) => ({
    group: 'triggers.tekton.dev', resource, verbs: ['get', 'list', 'watch'], scope: 'cluster' as const, usedBy: 'triggers/lookup.ts (watch-backed caches, direct reads as fallback)',
  })),
  { group: '', resource: 'secrets', verbs: ['get'], scope: 'cluster', usedBy: 'interceptor secretRefs (triggers/interceptors)' },
  { group: 'tekton.dev', resource: 'pipelineruns', verbs: ['create', 'delete'], scope: 'cluster', usedBy: 'TriggerTemplate resources; delete = all-or-nothing rollback (triggers/server.ts)' },
  { group: 'tekton.dev', resource: 'taskruns', verbs: ['create', 'delete'], scope: 'cluster', usedBy: 'TriggerTemplate resources; delete = rollback' },
  { group: '', resource: 'events', verbs: ['create'], scope: 'cluster', usedBy: 'triggers/k8s-events.ts' },
  { group: '', resource: 'serviceaccounts', verbs: ['impersonate'], scope: 'cluster', usedBy: 'a trigger\'s serviceAccountName (triggers/server.ts clientWriters), as Triggers\' EL role' },
];

/** EventListener sinks, cluster-scoped kinds (bound with a ClusterRoleBinding). */
export const EVENTLISTENER_CLUSTER_PERMISSIONS: readonly Permission[] = [
  ...['clustertriggerbindings', 'clusterinterceptors'].map((resource) => ({
    group: 'triggers.tekton.dev', resource, verbs: ['get', 'list', 'watch'], scope: 'cluster' as const, usedBy: 'triggers/lookup.ts',
  })),
];

/** Flattens permissions to `group/resource:verb` strings (for comparisons). */
export function permissionSet(perms: readonly Permission[]): Set<string> {
  return new Set(perms.flatMap((p) => p.verbs.map((v) => `${p.group}/${p.resource}:${v}`)));
}
