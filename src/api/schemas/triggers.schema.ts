/**
 * Zod schemas for triggers.tekton.dev: TriggerBinding, ClusterTriggerBinding, TriggerTemplate, Trigger,
 * EventListener (v1beta1; v1alpha1 documents of the same shape accepted) and Interceptor, ClusterInterceptor
 * (v1alpha1). Resource templates and a custom resource are arbitrary objects and pass through.
 */
import { z } from 'zod';
import { ConditionSchema, EmbeddedMetaSchema, kubeObject, StringMap } from './meta.schema.js';
import { ParamValueSchema } from './params.schema.js';

const TRIGGERS_VERSIONS = ['triggers.tekton.dev/v1beta1', 'triggers.tekton.dev/v1alpha1'] as const;
const INTERCEPTOR_VERSIONS = ['triggers.tekton.dev/v1alpha1'] as const;

/** A binding param: always a string (Triggers has no array/object binding params). */
export const TriggerBindingParamSchema = z.strictObject({ name: z.string(), value: z.string() });

/** TriggerBinding / ClusterTriggerBinding spec. */
export const TriggerBindingSpecSchema = z.strictObject({ params: z.array(TriggerBindingParamSchema).optional() });

/** A TriggerTemplate param declaration. */
export const TriggerTemplateParamSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  default: z.string().optional(),
});

/** TriggerTemplate spec; `resourcetemplates` is lowercase in JSON. */
export const TriggerTemplateSpecSchema = z.strictObject({
  params: z.array(TriggerTemplateParamSchema).optional(),
  resourcetemplates: z.array(z.record(z.string(), z.unknown())),
});

/** A binding inside a trigger: `ref` (+`kind`, `apiversion`) or inline `name`/`value`. */
export const TriggerSpecBindingSchema = z.strictObject({
  name: z.string().optional(),
  value: z.string().optional(),
  ref: z.string().optional(),
  kind: z.enum(['TriggerBinding', 'ClusterTriggerBinding']).optional(),
  apiversion: z.string().optional(),
});

/** A trigger's template: `ref` or inline `spec`. */
export const TriggerSpecTemplateSchema = z.strictObject({
  ref: z.string().optional(),
  apiversion: z.string().optional(),
  spec: TriggerTemplateSpecSchema.optional(),
});

/** An interceptor in a trigger: `ref` + `params`, or a legacy `webhook`. */
export const TriggerInterceptorSchema = z.strictObject({
  name: z.string().optional(),
  ref: z.strictObject({
    name: z.string().optional(),
    kind: z.enum(['ClusterInterceptor', 'NamespacedInterceptor']).optional(),
    apiVersion: z.string().optional(),
  }).optional(),
  params: z.array(z.strictObject({ name: z.string(), value: z.unknown() })).optional(),
  webhook: z.strictObject({
    objectRef: z.looseObject({
      kind: z.string().optional(), name: z.string().optional(), namespace: z.string().optional(), apiVersion: z.string().optional(),
    }).optional(),
    url: z.string().optional(),
    header: z.array(z.strictObject({ name: z.string(), value: ParamValueSchema })).optional(),
  }).optional(),
});

/** Trigger spec. */
export const TriggerSpecSchema = z.strictObject({
  name: z.string().optional(),
  bindings: z.array(TriggerSpecBindingSchema).optional(),
  template: TriggerSpecTemplateSchema,
  interceptors: z.array(TriggerInterceptorSchema).optional(),
  serviceAccountName: z.string().optional(),
});

/** apimachinery LabelSelector. */
export const LabelSelectorSchema = z.strictObject({
  matchLabels: StringMap.optional(),
  matchExpressions: z.array(z.strictObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() })).optional(),
});

const NamespaceSelectorSchema = z.strictObject({ matchNames: z.array(z.string()).optional() });

/** An EventListener's inline trigger. */
export const EventListenerTriggerSchema = z.strictObject({
  name: z.string().optional(),
  bindings: z.array(TriggerSpecBindingSchema).optional(),
  template: TriggerSpecTemplateSchema.optional(),
  triggerRef: z.string().optional(),
  interceptors: z.array(TriggerInterceptorSchema).optional(),
  serviceAccountName: z.string().optional(),
});

const KubernetesResourceSchema = z.strictObject({
  replicas: z.number().int().optional(),
  serviceType: z.string().optional(),
  servicePort: z.number().int().optional(),
  serviceLoadBalancerClass: z.string().optional(),
  spec: z.strictObject({
    template: z.strictObject({
      metadata: EmbeddedMetaSchema.optional(),
      spec: z.record(z.string(), z.unknown()).optional(),
    }).optional(),
  }).optional(),
});

/** EventListener spec. */
export const EventListenerSpecSchema = z.strictObject({
  serviceAccountName: z.string().optional(),
  triggers: z.array(EventListenerTriggerSchema).optional(),
  triggerGroups: z.array(z.strictObject({
    name: z.string().optional(),
    interceptors: z.array(TriggerInterceptorSchema).optional(),
    triggerSelector: z.strictObject({
      namespaceSelector: NamespaceSelectorSchema.optional(),
      labelSelector: LabelSelectorSchema.optional(),
    }).optional(),
  })).optional(),
  namespaceSelector: NamespaceSelectorSchema.optional(),
  labelSelector: LabelSelectorSchema.optional(),
  resources: z.strictObject({
    kubernetesResource: KubernetesResourceSchema.optional(),
    customResource: z.record(z.string(), z.unknown()).optional(),
  }).optional(),
  cloudEventURI: z.string().optional(),
});

const AddressSchema = z.looseObject({ url: z.string().optional() });

/** EventListener status (written by the controller). */
export const EventListenerStatusSchema = z.looseObject({
  conditions: z.array(ConditionSchema).optional(),
  observedGeneration: z.number().int().optional(),
  annotations: StringMap.optional(),
  address: AddressSchema.optional(),
  configuration: z.looseObject({ generatedName: z.string().optional() }).optional(),
});

/** Interceptor / ClusterInterceptor spec: where the interceptor is served. */
export const InterceptorSpecSchema = z.strictObject({
  clientConfig: z.strictObject({
    url: z.string().optional(),
    service: z.strictObject({
      name: z.string(), namespace: z.string(), path: z.string().optional(), port: z.number().int().optional(),
    }).optional(),
    caBundle: z.string().optional(),
  }),
});

const InterceptorStatusSchema = z.looseObject({
  conditions: z.array(ConditionSchema).optional(),
  observedGeneration: z.number().int().optional(),
  address: AddressSchema.optional(),
});
const NoStatus = z.looseObject({});

/** triggers.tekton.dev TriggerBinding. */
export const TriggerBindingSchema = kubeObject(TRIGGERS_VERSIONS, 'TriggerBinding', TriggerBindingSpecSchema, NoStatus);
/** triggers.tekton.dev ClusterTriggerBinding (cluster-scoped). */
export const ClusterTriggerBindingSchema = kubeObject(TRIGGERS_VERSIONS, 'ClusterTriggerBinding', TriggerBindingSpecSchema, NoStatus);
/** triggers.tekton.dev TriggerTemplate. */
export const TriggerTemplateSchema = kubeObject(TRIGGERS_VERSIONS, 'TriggerTemplate', TriggerTemplateSpecSchema, NoStatus);
/** triggers.tekton.dev Trigger. */
export const TriggerSchema = kubeObject(TRIGGERS_VERSIONS, 'Trigger', TriggerSpecSchema, NoStatus);
/** triggers.tekton.dev EventListener. */
export const EventListenerSchema = kubeObject(TRIGGERS_VERSIONS, 'EventListener', EventListenerSpecSchema, EventListenerStatusSchema);
/** triggers.tekton.dev/v1alpha1 Interceptor (namespaced). */
export const InterceptorSchema = kubeObject(INTERCEPTOR_VERSIONS, 'Interceptor', InterceptorSpecSchema, InterceptorStatusSchema);
/** triggers.tekton.dev/v1alpha1 ClusterInterceptor. */
export const ClusterInterceptorSchema = kubeObject(INTERCEPTOR_VERSIONS, 'ClusterInterceptor', InterceptorSpecSchema, InterceptorStatusSchema);
