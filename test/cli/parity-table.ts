/** Reads docs/cli.md's "tkn parity" table: one row per tkn command/flag with its tkt form (a runnable command). */

/** A row: the tkn form, tkt's command (with the world's object names), and the differences column. */
export interface ParityRow { tkn: string; tkt: string; differences: string }

/** The rows of the `## tkn parity` section, in order. */
export function parityRows(markdown: string): ParityRow[] {
  const start = markdown.indexOf('\n## tkn parity');
  if (start < 0) throw new Error('docs/cli.md has no "## tkn parity" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const rows: ParityRow[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| tkn |') || line.startsWith('|---')) continue;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|'));
    const tkt = /^`(tkt [^`]+)`/.exec(cells[1] ?? '')?.[1];
    if (!tkt) throw new Error(`parity row without a runnable tkt command: ${line}`);
    rows.push({ tkn: cells[0] ?? '', tkt, differences: cells[2] ?? '' });
  }
  return rows;
}

/** Splits a command line as a POSIX shell would for words, single and double quotes (with \" in double quotes). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, close);
      i = close;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) j++;
        cur += line[j];
      }
      i = j;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
