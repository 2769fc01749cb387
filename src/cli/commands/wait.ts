/** Waiting for SIGINT/SIGTERM in the long-running commands. */
import type { CliContext, StopSignal } from '../context.js';

/** Resolves with the first SIGINT or SIGTERM received. */
export function waitForStop(ctx: CliContext): Promise<StopSignal> {
  return new Promise((resolve) => {
    const off = ctx.io.onSignal((sig) => {
      off();
      resolve(sig);
    });
  });
}
