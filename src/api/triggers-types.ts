/**
 * TypeScript shapes of the Tekton Triggers kinds (triggers.tekton.dev): EventListener, Trigger, TriggerBinding,
 * ClusterTriggerBinding, TriggerTemplate, Interceptor, ClusterInterceptor. Re-exported by types.ts; the zod
 * schemas in src/api/schemas/triggers.schema.ts infer types assignable to these.
 */
import type { Condition, KubeObject, ParamValue } from './types.js';


/** A LabelSelector (apimachinery). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A TriggerBinding param: the value is always a string that may hold `$(body.x)` style expressions. */
export interface TriggerBindingParam {
  name: string;
  value: string;
}

export interface TriggerBindingSpec {
  params?: TriggerBindingParam[];
}

export interface TriggerBinding extends KubeObject {
  kind: 'TriggerBinding';
  spec: TriggerBindingSpec;
}

export interface ClusterTriggerBinding extends KubeObject {
  kind: 'ClusterTriggerBinding';
  spec: TriggerBindingSpec;
}

/** A TriggerTemplate param declaration (string params only). */
export interface TriggerTemplateParam {
  name: string;
  description?: string;
  default?: string;
}

export interface TriggerTemplateSpec {
  params?: TriggerTemplateParam[];
  /** Objects to create; JSON key is lowercase `resourcetemplates`. */
  resourcetemplates: Array<Record<string, unknown>>;
}

export interface TriggerTemplate extends KubeObject {
  kind: 'TriggerTemplate';
  spec: TriggerTemplateSpec;
}

/** A binding in a trigger: a reference (`ref`, `kind`) or an inline `{name, value}`. */
export interface TriggerSpecBinding {
  name?: string;
  value?: string;
  ref?: string;
  kind?: 'TriggerBinding' | 'ClusterTriggerBinding';
  apiversion?: string;
}

export interface TriggerSpecTemplate {
  ref?: string;
  apiversion?: string;
  spec?: TriggerTemplateSpec;
}

export interface InterceptorRef {
  name?: string;
  kind?: 'ClusterInterceptor' | 'NamespacedInterceptor';
  apiVersion?: string;
}

/** A legacy webhook interceptor. */
export interface WebhookInterceptor {
  objectRef?: { kind?: string; name?: string; namespace?: string; apiVersion?: string; [key: string]: unknown };
  url?: string;
  header?: Array<{ name: string; value: ParamValue }>;
}

export interface TriggerInterceptor {
  name?: string;
  ref?: InterceptorRef;
  /** Interceptor params: any JSON value. */
  params?: Array<{ name: string; value: unknown }>;
  webhook?: WebhookInterceptor;
}

export interface TriggerSpec {
  bindings?: TriggerSpecBinding[];
  template: TriggerSpecTemplate;
  interceptors?: TriggerInterceptor[];
  serviceAccountName?: string;
  name?: string;
}

export interface Trigger extends KubeObject {
  kind: 'Trigger';
  spec: TriggerSpec;
}

/** An EventListener's inline trigger. */
export interface EventListenerTrigger {
  name?: string;
  bindings?: TriggerSpecBinding[];
  template?: TriggerSpecTemplate;
  triggerRef?: string;
  interceptors?: TriggerInterceptor[];
  serviceAccountName?: string;
}

export interface EventListenerTriggerGroup {
  name?: string;
  interceptors?: TriggerInterceptor[];
  triggerSelector?: { namespaceSelector?: { matchNames?: string[] }; labelSelector?: LabelSelector };
}

export interface EventListenerSpec {
  serviceAccountName?: string;
  triggers?: EventListenerTrigger[];
  triggerGroups?: EventListenerTriggerGroup[];
  namespaceSelector?: { matchNames?: string[] };
  labelSelector?: LabelSelector;
  resources?: {
    kubernetesResource?: {
      replicas?: number;
      serviceType?: string;
      servicePort?: number;
      serviceLoadBalancerClass?: string;
      spec?: { template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Record<string, unknown> } };
    };
    customResource?: Record<string, unknown>;
  };
  cloudEventURI?: string;
}

export interface EventListenerStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  annotations?: Record<string, string>;
  address?: { url?: string };
  configuration?: { generatedName?: string };
}

export interface EventListener extends KubeObject {
  kind: 'EventListener';
  spec: EventListenerSpec;
  status?: EventListenerStatus;
}

/** Where an Interceptor is served: a URL or a Service. */
export interface InterceptorClientConfig {
  url?: string;
  service?: { name: string; namespace: string; path?: string; port?: number };
  caBundle?: string;
}

export interface InterceptorSpec {
  clientConfig: InterceptorClientConfig;
}

export interface InterceptorStatus {
  conditions?: Condition[];
  observedGeneration?: number;
  address?: { url?: string };
}

/** triggers.tekton.dev/v1alpha1 Interceptor (namespaced; `ref.kind: NamespacedInterceptor`). */
export interface Interceptor extends KubeObject {
  kind: 'Interceptor';
  spec: InterceptorSpec;
  status?: InterceptorStatus;
}

export interface ClusterInterceptor extends KubeObject {
  kind: 'ClusterInterceptor';
  spec: InterceptorSpec;
  status?: InterceptorStatus;
}
