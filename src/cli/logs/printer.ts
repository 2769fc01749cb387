/**
 * Writes log lines in tkn's format: `[<task> : <step>] line` for PipelineRuns, `[<step>] line` for TaskRuns
 * (`[<run> : <task> : <step>] ` when several runs are followed at once). The prefix is bold and coloured per
 * step name through tkn's 5-colour rotation when the stream is a TTY. Every line is written with one call,
 * so concurrent streams interleave by whole lines. Errors go to stderr (red on a TTY).
 */
import type { OutStream } from '../context.js';
import { PREFIX_PALETTE, type Theme } from '../output/theme.js';

/** Where a line comes from. */
export interface LogSource {
  /** Run name, shown only when the printer is told to (several runs). */
  run?: string;
  /** Pipeline task name (PipelineRun logs). */
  task?: string;
  /** Step name (container name without `step-`). */
  step: string;
}

/** Options of a {@link LogPrinter}. */
export interface LogPrinterOptions {
  out: OutStream;
  err: OutStream;
  theme: Theme;
  errTheme: Theme;
  /** false drops the prefix (`--prefix=false`). */
  prefix?: boolean;
  /** Include the run name in prefixes. */
  showRun?: boolean;
  /** Called around every write so a progress footer can be erased and redrawn (TTY only). */
  around?: (write: () => void) => void;
}

/** The shared writer of all log streams of one command. */
export class LogPrinter {
  private readonly opts: LogPrinterOptions;
  private readonly colors = new Map<string, number>();

  constructor(opts: LogPrinterOptions) {
    this.opts = opts;
  }

  private colorOf(step: string): (s: string) => string {
    let i = this.colors.get(step);
    if (i === undefined) {
      i = this.colors.size % PREFIX_PALETTE.length;
      this.colors.set(step, i);
    }
    const { c } = this.opts.theme;
    const color = c[PREFIX_PALETTE[i] ?? 'greenBright'];
    return (s: string) => c.bold(typeof color === 'function' ? color(s) : s);
  }

  /** The prefix of a source, coloured when the theme is on. */
  prefixOf(src: LogSource): string {
    if (this.opts.prefix === false) return '';
    const parts = [...(this.opts.showRun && src.run ? [src.run] : []), ...(src.task !== undefined ? [src.task] : []), src.step];
    const text = `[${parts.join(' : ')}] `;
    return this.opts.theme.enabled ? this.colorOf(src.step)(text) : text;
  }

  private write(stream: OutStream, text: string): void {
    if (this.opts.around) this.opts.around(() => stream.write(text));
    else stream.write(text);
  }

  /** One log line (without its newline). */
  line(src: LogSource, text: string): void {
    this.write(this.opts.out, `${this.prefixOf(src)}${text}\n`);
  }

  /** The blank line tkn prints when a step's stream ends. */
  endOfStep(): void {
    this.write(this.opts.out, '\n');
  }

  /** A line of its own between attempts of a TaskRun (dim on a TTY), so retries' output is kept apart. */
  separator(text: string): void {
    const t = this.opts.theme;
    this.write(this.opts.out, `${t.enabled ? t.c.dim(text) : text}\n`);
  }

  /** An error or failure notice on stderr (red on a TTY). */
  error(message: string): void {
    const t = this.opts.errTheme;
    this.write(this.opts.err, `${t.enabled ? t.c.red(message) : message}\n`);
  }

  /** A status notice on stderr (not part of the log lines). */
  info(message: string): void {
    this.write(this.opts.err, `${message}\n`);
  }
}
