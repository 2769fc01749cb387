/**
 * Go `time.Duration` text, as Tekton writes it in `timeout` fields and condition messages.
 *
 * Users copy durations between Tekton and tektite, so the syntax (`1h30m`, `500ms`, `0`) and the printed form
 * (`1h0m0s`, as in `TaskRun "x" failed to finish within "1h0m0s"`) must match Go byte for byte.
 */

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go duration (`"1h0m0s"`, `"90s"`, `"1.5h"`, `"-2m"`, `"0"`) into milliseconds.
 * Never throws, because callers validate user input with it: a malformed string gives `NaN`.
 */
export function parseDuration(s: string): number {
  if (typeof s !== 'string') return NaN;
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return NaN;
  let total = 0;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) return NaN;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Trims a decimal fraction the way Go does (`1.500` → `1.5`, `2.000` → `2`). */
function trimFraction(n: number, digits: number): string {
  const fixed = n.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/**
 * Formats milliseconds as Go's `Duration.String()`: `0s`, `500ms`, `1.5s`, `1m30s`, `1h0m0s`.
 * Used in Tekton's timeout messages, which users and tools match on.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return '0s';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1) return ms < 1e-3 ? `${trimFraction(ms * 1e6, 0)}ns` : `${trimFraction(ms * 1e3, 3)}µs`;
  if (ms < 1000) return `${trimFraction(ms, 6)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = trimFraction((ms % 60_000) / 1000, 9);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/**
 * Formats an instant as Kubernetes `metav1.Time` does (RFC 3339, whole seconds, UTC `Z`), so timestamps we write
 * compare equal to what the API server and Tekton write.
 */
export function formatTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
