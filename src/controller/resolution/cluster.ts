/**
 * The `cluster` resolver: a Task, Pipeline or StepAction stored in this cluster, possibly in another namespace.
 * Params: `name` (required), `kind` (task|pipeline|stepaction; default: what the reference expects),
 * `namespace` (default: the run's), `cache`.
 */
import type { KubeObject } from '../../api/types.js';
import { isNotFound } from '../../kube/errors.js';
import { kindParam, paramOf, requiredParam } from './params.js';
import type { ResolvedData, Resolver, ResolveRequest, ResolverContext } from './types.js';
import { ResolutionError } from './types.js';

const REFS = {
  task: { apiVersion: 'tekton.dev/v1', kind: 'Task', resource: 'tasks.tekton.dev' },
  pipeline: { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', resource: 'pipelines.tekton.dev' },
  stepaction: { apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', resource: 'stepactions.tekton.dev' },
};

/** Answers the stored object as JSON text, without server-set metadata. */
async function resolveCluster(req: ResolveRequest, ctx: ResolverContext): Promise<ResolvedData> {
  const name = requiredParam(req, 'name');
  const namespace = paramOf(req, 'namespace') ?? req.namespace;
  const ref = REFS[kindParam(req)];
  let obj: KubeObject;
  try {
    obj = await ctx.client.get<KubeObject>(ref, namespace, name);
  } catch (err) {
    if (isNotFound(err)) throw new ResolutionError(`${ref.resource} "${name}" not found in namespace "${namespace}"`);
    throw err;
  }
  const { labels, annotations } = obj.metadata;
  const clean = { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, spec: (obj as { spec?: unknown }).spec };
  return {
    data: JSON.stringify(clean),
    source: { uri: `/apis/${obj.apiVersion}/namespaces/${namespace}/${ref.resource.split('.')[0]}/${name}@${obj.metadata.uid ?? ''}` },
  };
}

/** The cluster resolver. */
export const clusterResolver: Resolver = { name: 'cluster', resolve: resolveCluster };
