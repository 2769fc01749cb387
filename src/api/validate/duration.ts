/**
 * Go `time.ParseDuration` for validation (timeouts are Go durations: "1h0m0s", "90s", "1.5h", "0").
 * Lives in src/api because validation must not depend on the engine.
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds of a Go duration string, or undefined when it is not one. Negative durations are allowed. */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? NaN);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}

/** Why `text` is not a usable timeout (unparseable or negative), or undefined when it is fine. */
export function timeoutProblem(text: string): string | undefined {
  const ms = parseGoDuration(text);
  if (ms === undefined) return `"${text}" is not a duration; write it like "1h0m0s", "90m" or "30s" ("0" means no timeout)`;
  if (ms < 0) return `"${text}" is negative; a timeout must be zero (no timeout) or positive`;
  return undefined;
}
