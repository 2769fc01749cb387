/**
 * Colours and decorations, decided once per output stream: on when the stream is a TTY (or FORCE_COLOR is
 * set), off with NO_COLOR, TERM=dumb or `--no-color`. Formatters receive a Theme and never look at the
 * environment themselves.
 */
import pc from 'picocolors';

/** picocolors' formatter set. */
export type Colors = ReturnType<typeof pc.createColors>;

/** Styling functions for one output stream. With colours off every function returns its input unchanged. */
export interface Theme {
  readonly enabled: boolean;
  readonly c: Colors;
}

/** A theme with colours forced on or off (tests, pipes). */
export function makeTheme(enabled: boolean): Theme {
  return { enabled, c: pc.createColors(enabled) };
}

/** Whether to colour a stream: TTY or FORCE_COLOR, and neither NO_COLOR, TERM=dumb nor `--no-color`. */
export function wantsColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The status words tkn colours and how (HiGreen, HiRed, HiBlue, HiYellow, HiMagenta, HiWhite). */
const STATUS_COLOR: Record<string, keyof Colors> = {
  Succeeded: 'greenBright',
  Failed: 'redBright',
  Running: 'blueBright',
  Cancelled: 'yellowBright',
  Completed: 'magentaBright',
  Pending: 'whiteBright',
};

/** Colours a status word (`Succeeded`, `Failed`, …) as tkn does; unknown words pass through. */
export function colorStatus(theme: Theme, word: string): string {
  const key = STATUS_COLOR[word];
  if (!key || !theme.enabled) return word;
  const f = theme.c[key];
  return typeof f === 'function' ? f(word) : word;
}

/** Emoji before describe section titles, shown only with colours on (as tkn). */
const ICONS: Record<string, string> = {
  Status: '🌡️  ', Message: '💌 ', Params: '⚓ ', Results: '📝 ', Workspaces: '📂 ', Taskruns: '🗂  ',
  'Skipped Tasks': '⏭️  ', Steps: '🦶 ', Sidecars: '🚗 ', Tasks: '🗒  ', PipelineRuns: '⛩  ', TaskRuns: '🗂  ',
  Timeouts: '⏱  ', Triggers: '🔗 ', ResourceTemplates: '📦 ',
};

/** A describe section title: `Status`, or `🌡️  ` + bold underlined `Status` with colours. */
export function heading(theme: Theme, title: string): string {
  if (!theme.enabled) return title;
  return (ICONS[title] ?? '') + theme.c.bold(theme.c.underline(title));
}

/** A bold field label (`Name`). */
export function label(theme: Theme, text: string): string {
  return theme.enabled ? theme.c.bold(text) : text;
}

/** A table row's first cell: `∙ name` with colours, `name` without (as tkn). */
export function bullet(theme: Theme, name: string): string {
  return theme.enabled ? `∙ ${name}` : name;
}

/** Palette of log prefixes: HiGreen, HiYellow, HiBlue, HiMagenta, HiCyan (red is kept for errors). */
export const PREFIX_PALETTE: ReadonlyArray<keyof Colors> = ['greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright'];
