/**
 * Column alignment as Go's text/tabwriter does it for tkn (minwidth 0, padding 3, padchar ' '): text is split
 * into lines and cells at tabs; the text after a line's last tab is not a column cell. A column's width is set
 * per *block* of consecutive lines that have a cell in that column, so sections separated by a line without
 * tabs align independently. ANSI colour codes do not count towards a cell's width.
 */

const PADDING = 3;
const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a string: code points, ANSI escape sequences excluded. */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

type Row = string[];

function writeRows(rows: Row[], from: number, to: number, widths: number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const row = rows[i] ?? [];
    let text = '';
    row.forEach((cell, j) => {
      const width = widths[j];
      text += j < row.length - 1 && width !== undefined ? cell + ' '.repeat(Math.max(0, width - visibleWidth(cell))) : cell;
    });
    out.push(text);
  }
}

/** Go tabwriter's recursive column-block formatting. */
function format(rows: Row[], from: number, to: number, widths: number[], out: string[]): void {
  const column = widths.length;
  let start = from;
  for (let i = from; i < to; i++) {
    if (column >= (rows[i]?.length ?? 0) - 1) continue;
    writeRows(rows, start, i, widths, out);
    start = i;
    let width = 0;
    for (; i < to; i++) {
      const row = rows[i] ?? [];
      if (column >= row.length - 1) break;
      width = Math.max(width, visibleWidth(row[column] ?? '') + PADDING);
    }
    widths.push(width);
    format(rows, start, i, widths, out);
    widths.pop();
    start = i;
    i--;
  }
  writeRows(rows, start, to, widths, out);
}

/** Aligns tab-separated text like `tabwriter.NewWriter(w, 0, 5, 3, ' ', 0)`. A trailing newline is kept. */
export function alignTabs(text: string): string {
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n');
  const rows = lines.map((l) => l.split('\t'));
  const out: string[] = [];
  format(rows, 0, rows.length, [], out);
  return out.join('\n') + (trailing ? '\n' : '');
}

/** Formats rows of cells (a header row first, usually) as aligned columns ending in a newline. */
export function table(rows: string[][]): string {
  return alignTabs(rows.map((r) => r.join('\t')).join('\n') + '\n');
}
