/** Deep-freezing of JSON data: stored objects (the API server's store) and values shared between reconciles. */

/** Deep-freezes a JSON value in place and answers it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    // no array of values per object (objects here are plain JSON data: nothing inherited is enumerable)
    if (Array.isArray(value)) {
      for (const v of value as unknown[]) if (v && typeof v === 'object') deepFreeze(v);
    } else {
      const o = value as Record<string, unknown>;
      for (const k in o) {
        const v = o[k];
        if (v && typeof v === 'object') deepFreeze(v);
      }
    }
  }
  return value;
}
