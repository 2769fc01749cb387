/**
 * Loading modules that other parts of tektite provide (controllers, EventListener sink, embedded mode) only
 * when a command needs them: the caller passes `() => import('…')` with a literal path (so the bundler includes the
 * module, evaluated on first use), and a module that fails to load answers undefined plus the reason.
 */

/** Runs `load` (a dynamic import); answers `{ mod }` or `{ error }`. */
export async function importOptional<T>(load: () => Promise<unknown>): Promise<{ mod?: T; error?: string }> {
  try {
    return { mod: (await load()) as T };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
