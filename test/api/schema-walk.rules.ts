/**
 * What happens to every field the schemas accept (issue 13: no field accepted and ignored). Field paths are
 * normalised (see schema-walk.test.ts): embedded Task specs are `Task:`, embedded Pipeline specs `Pipeline:`,
 * pod templates `PodTemplate:`, workspace bindings `WorkspaceBinding:`, EventListener triggers `Trigger:`, and
 * Kubernetes subtrees (securityContext, env, volumes, probes, …) end in `.**`.
 *
 * - `honoured`: the engine acts on it; `by` names the test that runs it (it must exist and mention the field).
 * - `copied`: a Kubernetes field copied as it is onto the pod; schema-walk.test.ts builds a pod and checks it.
 * - `untested`: implemented in the named source file, but no test runs it yet (listed on the console; a gap).
 * - `passed`: kept on the object for another controller to act on, as Tekton does (CustomRun fields for the
 *   custom task's controller).
 * - `informational`: no behaviour in Tekton either (descriptions, display names, legacy apiversion); stored and shown.
 * - `gated`/`rejected`: refused at admission (feature flag off / not implemented); `sample` proves the message.
 * - `warned`: not applied, but used by Tekton's own examples: accepted with an admission warning (kubectl prints
 *   it); `sample` proves the warning.
 */
export type How = 'honoured' | 'untested' | 'passed' | 'copied' | 'informational' | 'gated' | 'rejected' | 'warned';

export interface Rule {
  re: RegExp;
  how: How;
  by: string;
  /** For gated and rejected rules: an object admission must refuse at `path` with a message containing `message`. */
  sample?: { obj: Record<string, unknown>; path: string; message: string };
}

const h = (re: RegExp, by: string): Rule => ({ re, how: 'honoured', by });
const copied = (re: RegExp): Rule => ({ re, how: 'copied', by: 'schema-walk.test.ts (pod build)' });
const info = (re: RegExp): Rule => ({ re, how: 'informational', by: 'stored, shown by tkt describe' });
/** For a field implemented but not yet run by a test (none at present). */
export const untested = (re: RegExp, by: string): Rule => ({ re, how: 'untested', by });

const steps = [{ name: 'a', image: 'busybox', script: 'true' }];
const obj = (apiVersion: string, kind: string, spec: object): Record<string, unknown> => ({ apiVersion, kind, metadata: { name: 'x' }, spec });
const task = (spec: object) => obj('tekton.dev/v1', 'Task', { steps, ...spec });

const T = 'test/integration/';
const E = 'src/engine/';

export const RULES: Rule[] = [
  // ---- Task (also embedded in TaskRun, Pipeline tasks, PipelineRun) ----
  info(/^Task:spec(\.description|\.displayName)?$/),
  h(/^Task:spec\.params(\[\]\.(name|type|default|properties|properties\{\}\.type))?$/, `${E}pipelinerun/plan-params.test.ts`),
  info(/^Task:spec\.params\[\]\.description$/),
  h(/^Task:spec\.params\[\]\.enum$/, 'test/api/invalid.test.ts'),
  h(/^Task:spec\.results(\[\]\.(name|type|value|properties|properties\{\}\.type))?$/, `${T}steps-features.test.ts`),
  info(/^Task:spec\.results\[\]\.description$/),
  h(/^Task:spec\.(steps|stepTemplate|sidecars)$/, 'src/pod/build.test.ts'),
  h(/^Task:spec\.steps\[\]\.(name|command|args|script|onError|timeout)$/, 'test/entrypoint/step.test.ts'),
  h(/^Task:spec\.steps\[\]\.(image|workingDir)$/, 'src/pod/build.test.ts'),
  copied(/^Task:spec\.steps\[\]\.(env|envFrom|volumeMounts|volumeDevices|imagePullPolicy|securityContext)(\[\])?(\.\*\*|\.devicePath|\.name)?$/),
  h(/^Task:spec\.steps\[\]\.computeResources(\.\*\*)?$/, 'src/pod/resources.test.ts'),
  info(/^Task:spec\.steps\[\]\.displayName$/),
  h(/^Task:spec\.steps\[\]\.ref\.(resolver|params.*)$/, 'test/resolvers/reconcile.test.ts'),
  h(/^Task:spec\.steps\[\]\.(ref|params)(\.|\[|$)/, `${E}taskrun/step-actions.test.ts`),
  h(/^Task:spec\.steps\[\]\.results(\[\]\.(name|type|properties|properties\{\}\.type))?$/, `${T}steps-features.test.ts`),
  info(/^Task:spec\.steps\[\]\.results\[\]\.description$/),
  h(/^Task:spec\.steps\[\]\.when(\[\]\.(input|operator|values|cel))?$/, 'src/pod/step-when.test.ts'),
  h(/^Task:spec\.steps\[\]\.workspaces(\[\]\.(name|mountPath))?$/, `${T}steps-features.test.ts`),
  {
    re: /^Task:spec\.steps\[\]\.(stdoutConfig|stderrConfig)(\.path)?$/, how: 'gated', by: 'alpha (step stdout/stderr stream support)',
    sample: { obj: task({ steps: [{ ...steps[0], stdoutConfig: { path: '/tmp/o' } }] }), path: 'spec.steps[0].stdoutConfig', message: 'requires "enable-api-fields" feature gate to be "alpha"' },
  },
  h(/^Task:spec\.sidecars\[\]\.(name|image|command|args|script|workingDir)$/, 'src/pod/build.test.ts'),
  h(/^Task:spec\.sidecars\[\]\.computeResources(\.\*\*)?$/, 'src/pod/resources.test.ts'),
  h(/^Task:spec\.sidecars\[\]\.workspaces(\[\]\.(name|mountPath))?$/, `${T}steps-features.test.ts`),
  copied(/^Task:spec\.sidecars\[\]\.(env|envFrom|volumeMounts|volumeDevices|imagePullPolicy|securityContext|ports|livenessProbe|readinessProbe|startupProbe|lifecycle|stdin|stdinOnce|tty|terminationMessagePath|terminationMessagePolicy)(\[\])?(\.\*\*|\.devicePath|\.name)?$/),
  {
    re: /^Task:spec\.sidecars\[\]\.restartPolicy$/, how: 'rejected', by: 'native Kubernetes sidecars are not implemented',
    sample: { obj: task({ sidecars: [{ name: 's', image: 'busybox', restartPolicy: 'Always' }] }), path: 'spec.sidecars[0].restartPolicy', message: 'not supported by tektite' },
  },
  copied(/^Task:spec\.volumes(\[\]\.\*\*)?$/),
  h(/^Task:spec\.workspaces(\[\]\.(name|mountPath|readOnly|optional))?$/, 'src/pod/build.test.ts'),
  info(/^Task:spec\.workspaces\[\]\.description$/),

  // ---- TaskRun ----
  h(/^TaskRun:spec(\.params(\[\]\.(name|value))?)?$/, `${E}taskrun/resolve.test.ts`),
  h(/^TaskRun:spec\.(computeResources(\.\*\*)?|stepSpecs.*|sidecarSpecs.*)$/, 'src/pod/resources.test.ts'),
  h(/^TaskRun:spec\.debug(\..*)?$/, 'test/e2e/debug.test.ts'),
  h(/^TaskRun:spec\.(managedBy|status|statusMessage)$/, `${E}taskrun/decide.test.ts`),
  h(/^TaskRun:spec\.(retries|timeout)$/, `${T}taskrun-failures.test.ts`),
  h(/^TaskRun:spec\.serviceAccountName$/, 'test/catalog/creds.test.ts'),
  h(/^TaskRun:spec\.taskSpec$/, `${E}taskrun/resolve.test.ts`),
  h(/^TaskRun:spec\.taskRef(\.(name|kind|apiVersion))?$/, 'test/resolvers/cluster.test.ts'),
  h(/^TaskRun:spec\.taskRef\.(resolver|params.*)$/, 'test/resolvers/reconcile.test.ts'),
  h(/^TaskRun:spec\.(podTemplate|workspaces)$/, 'src/pod/build.test.ts'),

  // ---- Pipeline (also embedded in PipelineRun) ----
  info(/^Pipeline:spec(\.description|\.displayName)?$/),
  h(/^Pipeline:spec\.params(\[\]\.(name|type|default|properties|properties\{\}\.type))?$/, `${E}pipelinerun/plan-params.test.ts`),
  h(/^Pipeline:spec\.params\[\]\.enum$/, 'test/api/invalid.test.ts'),
  info(/^Pipeline:spec\.(params|results|workspaces)\[\]\.description$/),
  h(/^Pipeline:spec\.results(\[\]\.(name|type|value))?$/, `${T}pipelinerun-flow.test.ts`),
  h(/^Pipeline:spec\.(tasks|finally)$/, `${E}pipelinerun/plan-finally.test.ts`),
  info(/^Pipeline:spec\.tasks\[\]\.(description|displayName)$/),
  h(/^Pipeline:spec\.tasks\[\]\.matrix.*$/, `${E}pipelinerun/plan-matrix.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.(name|runAfter)$/, `${E}pipelinerun/plan-dag.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.onError$/, `${E}pipelinerun/plan-dag.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.retries$/, `${T}pipelinerun-flow.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.params(\[\]\.(name|value))?$/, `${E}pipelinerun/plan-params.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.pipelineRef\.(resolver|params.*)$/, 'test/resolvers/reconcile.test.ts'),
  h(/^Pipeline:spec\.tasks\[\]\.(pipelineRef|pipelineSpec)(\..*)?$/, `${T}nested-pipelines.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.taskRef(\.(name|kind|apiVersion))?$/, `${E}pipelinerun/plan-children.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.taskRef\.(resolver|params.*)$/, 'test/resolvers/reconcile.test.ts'),
  h(/^Pipeline:spec\.tasks\[\]\.taskSpec(\.(apiVersion|kind|spec))?$/, `${T}custom-tasks.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.taskSpec\.metadata(\.labels|\.annotations)?$/, `${E}pipelinerun/plan-children.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.timeout$/, `${E}pipelinerun/plan-timeouts.test.ts`),
  h(/^Pipeline:spec\.tasks\[\]\.when(\[\]\.(input|operator|values|cel))?$/, `${E}pipelinerun/plan-when.test.ts`),
  h(/^Pipeline:spec\.(tasks\[\]\.)?workspaces(\[\]\.(name|subPath|workspace|optional))?$/, `${E}pipelinerun/plan-workspaces.test.ts`),

  // ---- PipelineRun ----
  h(/^PipelineRun:spec(\.params(\[\]\.(name|value))?)?$/, `${E}pipelinerun/plan-params.test.ts`),
  h(/^PipelineRun:spec\.status$/, `${T}pipelinerun-stop.test.ts`),
  h(/^PipelineRun:spec\.managedBy$/, `${E}pipelinerun/plan-dag.test.ts`),
  h(/^PipelineRun:spec\.(pipelineRef|pipelineSpec)(\.(name|kind|apiVersion))?$/, `${T}pipelinerun-flow.test.ts`),
  h(/^PipelineRun:spec\.pipelineRef\.(resolver|params.*)$/, 'test/resolvers/reconcile.test.ts'),
  h(/^PipelineRun:spec\.taskRunSpecs(\[\]\.(pipelineTaskName|serviceAccountName|podTemplate|timeout))?$/, `${T}v1beta1.test.ts`),
  h(/^PipelineRun:spec\.taskRunSpecs\[\]\.metadata(\.labels|\.annotations)?$/, `${E}pipelinerun/plan-children.test.ts`),
  h(/^PipelineRun:spec\.taskRunSpecs\[\]\.(computeResources|stepSpecs|sidecarSpecs).*$/, 'src/pod/resources.test.ts'),
  h(/^PipelineRun:spec\.taskRunTemplate(\.(serviceAccountName|podTemplate))?$/, `${T}v1beta1.test.ts`),
  h(/^PipelineRun:spec\.timeouts(\.(pipeline|tasks|finally))?$/, `${E}pipelinerun/plan-timeouts.test.ts`),
  h(/^PipelineRun:spec\.workspaces$/, `${E}pipelinerun/plan-workspaces.test.ts`),

  // ---- shared shapes ----
  copied(/^PodTemplate:(spec|[a-zA-Z]+)(\[\])?(\.\*\*)?$/),
  h(/^WorkspaceBinding:(name|subPath|emptyDir|persistentVolumeClaim|volumeClaimTemplate|configMap|secret|projected|csi)(\.\*\*)?$/, 'src/pod/build.test.ts'),

  // ---- StepAction, CustomRun ----
  info(/^StepAction:spec\.(params|results)\[\]\.description$/),
  h(/^StepAction:spec(\.(image|command|args|script|workingDir|params|results)(\[\]\..*)?)?$/, `${E}taskrun/step-actions.test.ts`),
  copied(/^StepAction:spec\.(env|volumeMounts|securityContext)(\[\])?(\.\*\*)?$/),
  info(/^StepAction:spec\.description$/),
  { re: /^CustomRun:spec\.(workspaces|serviceAccountName|customRef\.(resolver|params.*)|customSpec\.metadata.*)$/, how: 'passed', by: 'for the custom task\'s controller (Tekton passes them on too)' },
  h(/^CustomRun:spec(\..*)?$/, `${T}custom-tasks.test.ts`),

  // ---- Triggers ----
  h(/^EventListener:spec(\.(labelSelector|namespaceSelector)(\..*)?)?$/, 'src/triggers/select.test.ts'),
  h(/^EventListener:spec\.(serviceAccountName|resources(\.kubernetesResource.*)?)$/, 'test/cluster/eventlistener.test.ts'),
  {
    re: /^EventListener:spec\.resources\.customResource(\..*)?$/, how: 'warned', by: 'Knative Services are not used',
    sample: { obj: obj('triggers.tekton.dev/v1beta1', 'EventListener', { triggers: [{ triggerRef: 't' }], resources: { customResource: { apiVersion: 'serving.knative.dev/v1', kind: 'Service' } } }), path: 'spec.resources.customResource', message: 'not applied by tektite' },
  },
  h(/^EventListener:spec\.cloudEventURI$/, 'test/triggers/cloudevents.test.ts'),
  h(/^EventListener:spec\.(triggers|triggerGroups)(\[\]\.(name|triggerSelector))?$/, 'src/triggers/sink-groups.test.ts'),
  h(/^EventListener:spec\.triggerGroups\[\]\.triggerSelector\.(labelSelector|namespaceSelector)(\..*)?$/, 'src/triggers/select.test.ts'),
  h(/^EventListener:spec\.triggerGroups\[\]\.interceptors\[\]\.webhook\.objectRef.*$/, 'test/triggers/webhook-objectref.test.ts'),
  h(/^EventListener:spec\.triggerGroups\[\]\.interceptors\[\]\.webhook.*$/, 'test/triggers/webhook-interceptors.test.ts'),
  h(/^EventListener:spec\.triggerGroups\[\]\.interceptors.*$/, 'src/triggers/sink-groups.test.ts'),
  h(/^Trigger:spec(\.(name|triggerRef))?$/, 'src/triggers/sink.test.ts'),
  info(/^Trigger:spec\.(bindings\[\]|template)\.apiversion$/),
  h(/^Trigger:spec\.bindings(\[\]\.(name|ref|value))?$/, 'src/triggers/bindings.test.ts'),
  h(/^Trigger:spec\.bindings\[\]\.kind$/, 'test/triggers/conformance.test.ts'),
  h(/^Trigger:spec\.interceptors(\[\]\.(name|params.*|ref.*))?$/, 'src/triggers/interceptors/interceptors.test.ts'),
  h(/^Trigger:spec\.interceptors\[\]\.webhook\.objectRef.*$/, 'test/triggers/webhook-objectref.test.ts'),
  h(/^Trigger:spec\.interceptors\[\]\.webhook.*$/, 'test/triggers/webhook-interceptors.test.ts'),
  h(/^Trigger:spec\.serviceAccountName$/, 'test/triggers/service-account.test.ts'),
  h(/^Trigger:spec\.template\.spec\.params\[\]\.default$/, 'src/triggers/sink.test.ts'),
  h(/^Trigger:spec\.template(\.(ref|spec(\.params(\[\]\.name)?|\.resourcetemplates)?))?$/, 'src/triggers/template.test.ts'),
  info(/^(Trigger:spec\.template\.spec|TriggerTemplate:spec)\.params\[\]\.description$/),
  h(/^TriggerBinding:spec(\.params(\[\]\.(name|value))?)?$/, 'src/triggers/bindings.test.ts'),
  h(/^TriggerTemplate:spec\.params\[\]\.default$/, 'src/triggers/sink.test.ts'),
  h(/^TriggerTemplate:spec(\.(params(\[\]\.name)?|resourcetemplates))?$/, 'src/triggers/template.test.ts'),
  h(/^Interceptor:spec(\.clientConfig.*)?$/, 'src/triggers/interceptors/interceptors.test.ts'),
];
