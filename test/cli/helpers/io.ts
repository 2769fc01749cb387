/** A captured CliIO for in-process CLI tests: text streams, fixed clock, fake signals, stdin from a string. */
import { Readable } from 'node:stream';
import type { CliIO, OutStream, StopSignal } from '../../../src/cli/context.js';
import { main } from '../../../src/cli/main.js';

/** A stream that keeps what was written. */
export class Capture implements OutStream {
  text = '';
  isTTY?: boolean;
  columns?: number;
  private readonly listeners = new Set<() => void>();

  constructor(tty = false) {
    this.isTTY = tty;
    if (tty) this.columns = 200;
  }

  write(chunk: string): boolean {
    this.text += chunk;
    for (const l of this.listeners) l();
    return true;
  }

  /** Resolves once the captured text satisfies `test`. */
  until(test: (text: string) => boolean): Promise<void> {
    if (test(this.text)) return Promise.resolve();
    return new Promise((resolve) => {
      const l = (): void => {
        if (!test(this.text)) return;
        this.listeners.delete(l);
        resolve();
      };
      this.listeners.add(l);
    });
  }
}

/** The fixed "now" of golden tests. */
export const NOW = new Date('2026-03-01T12:00:00Z');

/** A CliIO plus handles on its captures and a way to send signals. */
export interface TestIO extends CliIO {
  out: Capture;
  errOut: Capture;
  signal(sig: StopSignal): void;
}

/** Builds a test IO. */
export function testIO(opts: { now?: Date; env?: Record<string, string>; tty?: boolean; stdin?: string; cwd?: string } = {}): TestIO {
  const out = new Capture(opts.tty);
  const errOut = new Capture(opts.tty);
  const handlers = new Set<(s: StopSignal) => void>();
  return {
    stdout: out, stderr: errOut, out, errOut,
    stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    now: () => opts.now ?? NOW,
    onSignal(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
    signal(sig) {
      for (const h of [...handlers]) h(sig);
    },
  };
}

/** Runs `tkt` in-process; answers the exit code and the captured output. */
export async function tkt(args: string[], opts: Parameters<typeof testIO>[0] = {}): Promise<{ code: number; stdout: string; stderr: string; io: TestIO }> {
  const io = testIO(opts);
  const code = await main(args, io);
  return { code, stdout: io.out.text, stderr: io.errOut.text, io };
}
