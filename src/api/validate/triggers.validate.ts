/**
 * Triggers checks (tektoncd/triggers *_validation.go): EventListener triggers and groups, Trigger template and
 * bindings, interceptor references, TriggerBinding params, TriggerTemplate resource templates and
 * `$(tt.params.x)` declarations, Interceptor client config.
 */
import type {
  EventListenerSpec, EventListenerTrigger, InterceptorSpec, TriggerBindingSpec, TriggerInterceptor, TriggerSpec,
  TriggerSpecBinding, TriggerTemplateSpec,
} from '../types.js';
import { checkUnique, type FieldErrors, joinPath } from './field-errors.js';
import { stringsIn } from './refs.js';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Validates an EventListener spec at `spec`. */
export function validateEventListenerSpec(errs: FieldErrors, spec: EventListenerSpec): void {
  if (!spec.triggers?.length && !spec.triggerGroups?.length && !spec.namespaceSelector && !spec.labelSelector) {
    errs.add('spec', 'an EventListener needs at least one of triggers, triggerGroups, namespaceSelector or labelSelector');
  }
  (spec.triggers ?? []).forEach((t, i) => validateElTrigger(errs, t, joinPath('spec.triggers', i)));
  (spec.triggerGroups ?? []).forEach((g, i) => {
    const at = joinPath('spec.triggerGroups', i);
    if (!g.triggerSelector?.labelSelector && !g.triggerSelector?.namespaceSelector) errs.add(joinPath(at, 'triggerSelector'), 'a trigger group needs a triggerSelector with labelSelector or namespaceSelector');
    if (!g.interceptors?.length) errs.add(joinPath(at, 'interceptors'), 'a trigger group needs at least one interceptor');
    validateInterceptors(errs, g.interceptors, joinPath(at, 'interceptors'));
  });
  const res = spec.resources;
  if (res?.kubernetesResource && res.customResource) errs.add('spec.resources', 'kubernetesResource and customResource cannot both be set; use one');
  // accepted with a warning (Tekton's examples use them), never silently
  else if (res?.customResource) errs.warn('spec.resources.customResource', 'not applied by tektite: the EventListener runs as a Deployment and Service, not as a Knative Service');
  const kr = res?.kubernetesResource;
  if (kr?.serviceLoadBalancerClass !== undefined && kr.serviceType !== 'LoadBalancer') {
    errs.add('spec.resources.kubernetesResource.serviceLoadBalancerClass', 'serviceLoadBalancerClass can only be used with serviceType: LoadBalancer');
  }
  const containers = kr?.spec?.template?.spec?.containers;
  if (Array.isArray(containers) && containers.length > 1) errs.add('spec.resources.kubernetesResource.spec.template.spec.containers', 'only one container is allowed');
}

function validateElTrigger(errs: FieldErrors, t: EventListenerTrigger, at: string): void {
  if (t.name !== undefined && (t.name.length > 63 || !LABEL_VALUE.test(t.name))) {
    errs.add(joinPath(at, 'name'), `invalid trigger name "${t.name}": it must be a valid label value (at most 63 letters, digits, "-", "_", ".")`);
  }
  if (t.triggerRef !== undefined) {
    for (const f of ['template', 'bindings', 'interceptors'] as const) {
      if (t[f] !== undefined) errs.add(joinPath(at, f), `${f} cannot be used with triggerRef: the referenced Trigger provides it`);
    }
    return;
  }
  if (!t.template) errs.add(joinPath(at, 'template'), 'a trigger needs a template (or a triggerRef)');
  else validateTemplateRef(errs, t.template, joinPath(at, 'template'));
  validateBindings(errs, t.bindings, joinPath(at, 'bindings'));
  validateInterceptors(errs, t.interceptors, joinPath(at, 'interceptors'));
}

/** Validates a Trigger spec at `spec`. */
export function validateTriggerSpec(errs: FieldErrors, spec: TriggerSpec): void {
  validateTemplateRef(errs, spec.template, 'spec.template');
  validateBindings(errs, spec.bindings, 'spec.bindings');
  validateInterceptors(errs, spec.interceptors, 'spec.interceptors');
}

function validateTemplateRef(errs: FieldErrors, t: TriggerSpec['template'], at: string): void {
  if (!t.ref && !t.spec) errs.add(at, 'a template needs ref (a TriggerTemplate name) or spec');
  if (t.ref && t.spec) errs.add(joinPath(at, 'spec'), 'a template sets both ref and spec; use one');
  if (t.spec) validateTriggerTemplateSpec(errs, t.spec, joinPath(at, 'spec'));
}

function validateBindings(errs: FieldErrors, bindings: readonly TriggerSpecBinding[] | undefined, base: string): void {
  (bindings ?? []).forEach((b, i) => {
    const at = joinPath(base, i);
    if (b.ref !== undefined) {
      if (b.value !== undefined) errs.add(joinPath(at, 'value'), 'a binding uses ref or name/value, not both');
    } else if (b.name === undefined || b.value === undefined) {
      errs.add(at, 'a binding needs ref (a TriggerBinding name) or both name and value');
    }
  });
}

function validateInterceptors(errs: FieldErrors, list: readonly TriggerInterceptor[] | undefined, base: string): void {
  (list ?? []).forEach((ic, i) => {
    const at = joinPath(base, i);
    if (!ic.ref && !ic.webhook) errs.add(at, 'an interceptor needs ref (e.g. ref: {name: github}) or webhook');
    if (ic.ref && ic.webhook) errs.add(joinPath(at, 'webhook'), 'an interceptor uses ref or webhook, not both');
    if (ic.ref && !ic.ref.name) errs.add(joinPath(at, 'ref', 'name'), 'required field is missing: name the interceptor (cel, github, gitlab, bitbucket, slack or your own)');
    if (ic.webhook && !ic.webhook.url && !ic.webhook.objectRef) errs.add(joinPath(at, 'webhook'), 'a webhook interceptor needs url or objectRef');
    checkUnique(errs, ic.params, joinPath(at, 'params'), 'name', (p) => p.name, 'interceptor param');
  });
}

/** Validates TriggerBinding / ClusterTriggerBinding params at `spec.params`. */
export function validateTriggerBindingSpec(errs: FieldErrors, spec: TriggerBindingSpec): void {
  checkUnique(errs, spec.params, 'spec.params', 'name', (p) => p.name, 'param name');
  (spec.params ?? []).forEach((p, i) => {
    if (!balanced(p.value)) errs.add(joinPath('spec.params', i, 'value'), `unbalanced "$(" in "${p.value}": every "$(" needs a closing ")"`);
  });
}

function balanced(s: string): boolean {
  let i = s.indexOf('$(');
  while (i >= 0) {
    let depth = 0;
    let j = i + 1;
    for (; j < s.length; j++) {
      if (s[j] === '(') depth++;
      else if (s[j] === ')' && --depth === 0) break;
    }
    if (j >= s.length) return false;
    i = s.indexOf('$(', j);
  }
  return true;
}

const TT_PARAM = /\$\(tt\.params\.([_a-zA-Z][_a-zA-Z0-9.-]*)\)/g;

/** Validates a TriggerTemplate spec at `base`. */
export function validateTriggerTemplateSpec(errs: FieldErrors, spec: TriggerTemplateSpec, base = 'spec'): void {
  checkUnique(errs, spec.params, joinPath(base, 'params'), 'name', (p) => p.name, 'param name');
  if (spec.resourcetemplates.length === 0) errs.add(joinPath(base, 'resourcetemplates'), 'a TriggerTemplate needs at least one resource template');
  const declared = new Set((spec.params ?? []).map((p) => p.name));
  spec.resourcetemplates.forEach((rt, i) => {
    const at = joinPath(base, 'resourcetemplates', i);
    if (typeof rt.apiVersion !== 'string' || rt.apiVersion === '') errs.add(joinPath(at, 'apiVersion'), 'required field is missing: a resource template needs apiVersion');
    if (typeof rt.kind !== 'string' || rt.kind === '') errs.add(joinPath(at, 'kind'), 'required field is missing: a resource template needs kind');
    for (const f of stringsIn(rt, at)) {
      for (const m of f.value.matchAll(TT_PARAM)) {
        const name = m[1] ?? '';
        // A warning, not an error: upstream examples (azurerepo) use undeclared params, which stay literal.
        if (!declared.has(name)) errs.warn(f.path, `"$(tt.params.${name})" refers to param "${name}", which the template does not declare, so it stays literal; add it under spec.params`);
      }
    }
  });
}

/** Validates an Interceptor / ClusterInterceptor spec. */
export function validateInterceptorSpec(errs: FieldErrors, spec: InterceptorSpec): void {
  const c = spec.clientConfig;
  if (!c.url && !c.service) errs.add('spec.clientConfig', 'clientConfig needs url or service');
  if (c.url && c.service) errs.add('spec.clientConfig.service', 'clientConfig sets both url and service; use one');
}
