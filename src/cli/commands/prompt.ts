/** A yes/no question on the terminal, as tkn asks before deleting. */
import type { CliContext } from '../context.js';

/** Writes the question to stdout and answers true only for `y` or `yes` on stdin (EOF is no). */
export async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  ctx.print(question);
  const { createInterface } = await import('node:readline'); // not loaded at every start of tkt
  const rl = createInterface({ input: ctx.io.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
