/**
 * The progress line of `tkt run` on a terminal: which tasks are running, how many are done and skipped. It is
 * drawn below the logs and redrawn after every log line (erase, write, draw), so it never mixes with them.
 * Only used when the log stream is a TTY.
 */
import type { PipelineRun, TaskRun } from '../../api/types.js';
import type { OutStream } from '../context.js';
import { isDone } from '../output/status.js';
import type { Theme } from '../output/theme.js';

const ERASE = '\r\u001b[2K';

/** The progress line text, uncoloured (pure). */
export function progressLine(taskRuns: TaskRun[], runs: PipelineRun[]): string {
  const running = taskRuns.filter((t) => !isDone(t.status?.conditions)).map((t) => t.metadata.labels?.['tekton.dev/pipelineTask'] ?? t.metadata.name ?? '');
  const done = taskRuns.length - running.length;
  const skipped = runs.reduce((n, r) => n + (r.status?.skippedTasks?.length ?? 0), 0);
  const parts = [`running: ${running.length > 0 ? running.sort().join(', ') : '—'}`, `done: ${done}`];
  if (skipped > 0) parts.push(`skipped: ${skipped}`);
  return `⏳ ${parts.join('  │  ')}`;
}

/** A redrawable footer on a TTY stream. */
export class ProgressFooter {
  private text = '';
  private shown = false;

  constructor(private readonly stream: OutStream, private readonly theme: Theme) {}

  /** Writes through the footer: erase it, write, draw it again. */
  around(write: () => void): void {
    if (this.shown) this.stream.write(ERASE);
    write();
    this.draw();
  }

  /** Changes the footer text and redraws it. */
  update(text: string): void {
    const width = this.stream.columns || 120;
    const cut = [...text].length > width - 1 ? `${[...text].slice(0, width - 2).join('')}…` : text;
    const next = this.theme.enabled ? this.theme.c.dim(cut) : cut;
    if (next === this.text && this.shown) return;
    this.text = next;
    if (this.shown) this.stream.write(ERASE);
    this.draw();
  }

  private draw(): void {
    if (!this.text) return;
    this.stream.write(this.text);
    this.shown = true;
  }

  /** Removes the footer for good. */
  clear(): void {
    if (this.shown) this.stream.write(ERASE);
    this.shown = false;
    this.text = '';
  }
}
