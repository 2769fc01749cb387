/**
 * Splits a stream of text chunks into whole lines. Each log stream has its own buffer, so a partial line is
 * held until its newline arrives and never mixes with another stream's output.
 */

/** Buffers the partial last line of one stream. */
export class LineBuffer {
  private partial = '';

  /** Adds a chunk; answers the lines it completes (without their `\n`). */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    return parts;
  }

  /** Ends the stream: answers the unterminated last line, if any. */
  flush(): string | undefined {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? undefined : rest;
  }
}
