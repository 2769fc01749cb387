/** Times, durations and state words as the pages show them. */
import { useEffect, useState } from 'preact/hooks';

/** `1h 2m`, `3m 4s`, `5s`, `0.4s`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  // Kubernetes times are whole seconds: 0 means under one
  if (ms < 1000) return '<1s';
  if (ms < 10_000) return `${Math.round(ms / 1000)}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

/** How long something took, or has been running (`now` for an open end). */
export function took(start: string | undefined, end: string | undefined, now: number): string {
  if (!start) return '';
  return duration((end ? Date.parse(end) : now) - Date.parse(start));
}

/** `5s ago`, `3m ago`, `2h ago`, else the date. */
export function ago(time: string | undefined, now: number): string {
  if (!time) return '';
  const ms = now - Date.parse(time);
  if (ms < 60_000) return `${Math.max(0, Math.round(ms / 1000))}s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)}m ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)}h ago`;
  return new Date(time).toLocaleString();
}

/** The current time, ticking every `everyMs` (for running durations). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

const ICONS: Record<string, string> = {
  succeeded: '✔', failed: '✖', cancelled: '⊘', running: '●', pending: '○', skipped: '↷', waiting: '…',
};

/** A state's symbol (shown next to its word, never alone). */
export function icon(state: string): string {
  return ICONS[state] ?? '?';
}

/** A param or result value as text. */
export function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
