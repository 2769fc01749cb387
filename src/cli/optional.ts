/**
 * Loading modules that other parts of tektite provide (controllers, EventListener sink, embedded mode) only
 * when a command needs them: the specifier is a variable so the type checker and the resource commands do not
 * depend on them, and a module that is missing or fails to load answers undefined plus the reason.
 */

/** Imports a module relative to src/cli; answers `{ mod }` or `{ error }`. */
export async function importOptional<T>(relativeToCli: string): Promise<{ mod?: T; error?: string }> {
  const specifier = new URL(relativeToCli, import.meta.url).href;
  try {
    return { mod: (await import(specifier)) as T };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
