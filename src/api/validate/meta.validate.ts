/**
 * Object metadata checks (Tekton's validate.ObjectMetadata plus apimachinery name rules): a name or
 * generateName, DNS-1123 subdomain shaped, at most 63 characters (names become label values).
 */
import type { ObjectMeta } from '../types.js';
import { DNS1123_SUBDOMAIN, type FieldErrors } from './field-errors.js';

/** Limits for a kind's names. */
export interface NameRules {
  /** Maximum length of a name (63 for Tekton kinds; 60 for EventListener because "el-" is prepended). */
  maxLength: number;
}

/** Validates `metadata.name` / `metadata.generateName`. */
export function validateMeta(errs: FieldErrors, meta: ObjectMeta, rules: NameRules): void {
  if (!meta.name && !meta.generateName) {
    errs.add('metadata.name', 'required field is missing: set metadata.name (or metadata.generateName for a generated name)');
    return;
  }
  if (meta.name) checkName(errs, 'metadata.name', meta.name, rules, false);
  if (meta.generateName && !meta.name) checkName(errs, 'metadata.generateName', meta.generateName, rules, true);
}

function checkName(errs: FieldErrors, path: string, value: string, rules: NameRules, prefix: boolean): void {
  const max = prefix ? rules.maxLength - 5 : rules.maxLength;
  const body = prefix ? value.replace(/-$/, '') : value;
  if (value.length > max) errs.add(path, `"${value}" is ${value.length} characters long; it must be no more than ${max}`);
  if (!DNS1123_SUBDOMAIN.test(body)) {
    errs.add(path, `invalid name "${value}": use lower case letters, digits and "-", starting and ending with a letter or digit`);
  }
}
