/** Questions on the terminal: yes/no as tkn asks before deleting, and which of several runs. */
import { createInterface } from 'node:readline';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';

/** Writes the question to stdout and answers true only for `y` or `yes` on stdin (EOF is no). */
export async function confirm(ctx: CliContext, question: string): Promise<boolean> {
  ctx.print(question);
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

/** Asks (on stderr, numbered) which of `names` to use; the answer is a number or a name. */
export async function choose(ctx: CliContext, kind: string, names: string[]): Promise<string> {
  ctx.printErr(`Select ${kind}:\n${names.map((n, i) => `  ${i + 1}) ${n}`).join('\n')}\n> `);
  const rl = createInterface({ input: ctx.io.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    const chosen = names[Number(answer.trim()) - 1] ?? names.find((n) => n === answer.trim());
    if (!chosen) throw new UsageError(`no ${kind} selected`);
    return chosen;
  } finally {
    rl.close();
  }
}
