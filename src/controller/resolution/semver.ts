/**
 * Just enough semantic versioning for the hub resolver: catalog version directories (`0.9`, `0.10`, `1.2.3`)
 * compared numerically (so 0.10 > 0.9, unlike a string sort), and version constraints (`>= 0.5.0, < 1.0`).
 */

/** A parsed version: major, minor, patch (missing parts are 0). */
export type Version = [number, number, number];

/** Parses `X`, `X.Y`, `X.Y.Z` (an optional leading `v`); undefined when it is not a version. */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** Negative, zero or positive as a < b, a = b, a > b. */
export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

type Op = '=' | '>' | '>=' | '<' | '<=' | '!=';
const OPS: Record<Op, (c: number) => boolean> = {
  '=': (c) => c === 0, '!=': (c) => c !== 0, '>': (c) => c > 0, '>=': (c) => c >= 0, '<': (c) => c < 0, '<=': (c) => c <= 0,
};

/** A predicate for a constraint list (`0.9`, `= 0.9.0`, `>= 0.5, < 1`); undefined when it cannot be parsed. */
export function parseConstraint(text: string): ((v: Version) => boolean) | undefined {
  const parts = text.split(/\s*,\s*|\s+(?=[<>=!])/).map((s) => s.trim()).filter(Boolean);
  const tests: Array<(v: Version) => boolean> = [];
  for (const part of parts) {
    const m = /^(>=|<=|!=|>|<|==?)?\s*(.+)$/.exec(part);
    const version = m?.[2] !== undefined ? parseVersion(m[2]) : undefined;
    if (!m || !version) return undefined;
    const op = (m[1] === '==' || !m[1] ? '=' : m[1]) as Op;
    tests.push((v) => OPS[op](compareVersions(v, version)));
  }
  return tests.length ? (v) => tests.every((t) => t(v)) : undefined;
}

/** The highest of `candidates` (version strings) that satisfies `constraint` (any when undefined). */
export function pickVersion(candidates: readonly string[], constraint?: (v: Version) => boolean): string | undefined {
  let best: { text: string; v: Version } | undefined;
  for (const text of candidates) {
    const v = parseVersion(text);
    if (!v || (constraint && !constraint(v))) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { text, v };
  }
  return best?.text;
}
