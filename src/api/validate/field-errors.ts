/**
 * The error accumulator of semantic validation: every check adds `{path, message}` and goes on, so a user
 * sees all problems of a document at once (Tekton's `apis.FieldError.Also`, without its path-merging maze).
 */

/** One problem, at a field path such as `spec.tasks[2].params[0].value`. */
export interface FieldError {
  path: string;
  message: string;
}

/** A path segment: a field name, or an index into a list. */
export type Segment = string | number;

/** Joins path segments into Tekton/kubectl style `a.b[2].c`. */
export function joinPath(base: string, ...segments: Segment[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s !== '') out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** Collects errors and warnings. */
export class FieldErrors {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];

  /** Records an error at `path`. */
  add(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** Records a warning at `path` (does not make the object invalid). */
  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}

/** Lowercase RFC 1123 label: what Kubernetes requires of step names, pipeline task names, label keys. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Lowercase RFC 1123 subdomain (object names). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a value is not a DNS-1123 label, or undefined when it is one. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (it has ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/** Reports every value that occurs more than once in `items` (by `key`), at `<base>[i].<field>`. */
export function checkUnique<T>(
  errs: FieldErrors, items: readonly T[] | undefined, base: string, field: string,
  key: (item: T) => string | undefined, what: string, opts: { caseInsensitive?: boolean } = {},
): void {
  const seen = new Map<string, number>();
  (items ?? []).forEach((item, i) => {
    const raw = key(item);
    if (raw === undefined) return;
    const k = opts.caseInsensitive ? raw.toLowerCase() : raw;
    const first = seen.get(k);
    if (first !== undefined) {
      const ci = opts.caseInsensitive ? ' (names are case-insensitive)' : '';
      errs.add(joinPath(base, i, field), `duplicate ${what} "${raw}"${ci}: it is already used at ${joinPath(base, first)}; rename one of them`);
    } else {
      seen.set(k, i);
    }
  });
}
