/**
 * A step's log: streamed from api/logs while the step runs (lines appear as they are written), ANSI colours,
 * only the visible lines in the DOM (a 20 MiB log scrolls as fast as a short one), search with next/previous,
 * a link per line (the URL's `line=`), follow, and download.
 */
import Anser from 'anser';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { path } from '../api.js';

const LH = 18;
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

interface Props {
  namespace: string;
  pod: string | undefined;
  container: string;
  /** The step may still write (follow the stream, retry while it has not started). */
  live: boolean;
  line?: number | undefined;
  linkFor: (line: number) => string;
  label: string;
}

type Chunk = { content: string; fg?: string | null; bg?: string | null; decorations?: string[] };

function parse(line: string): Chunk[] {
  if (!line.includes('\u001b')) return [{ content: line }];
  return Anser.ansiToJson(line, { json: true, remove_empty: true }) as Chunk[];
}

function marked(text: string, q: string): Array<string | JSX.Element> {
  if (!q) return [text];
  const out: Array<string | JSX.Element> = [];
  const low = text.toLowerCase();
  let at = 0;
  for (let i = low.indexOf(q); i >= 0; i = low.indexOf(q, i + q.length)) {
    out.push(text.slice(at, i), <mark>{text.slice(i, i + q.length)}</mark>);
    at = i + q.length;
  }
  out.push(text.slice(at));
  return out;
}

/** Reads the log into `lines`; calls `changed` as lines arrive. */
function useLogStream(p: Props, lines: { current: string[] }, changed: () => void): string {
  const [state, setState] = useState('loading');
  const live = useRef(p.live);
  live.current = p.live;
  useEffect(() => {
    if (!p.pod) {
      setState('waiting');
      return;
    }
    const ctl = new AbortController();
    const url = `api/logs/${path(p.namespace, p.pod, p.container)}`;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    void (async () => {
      while (!ctl.signal.aborted) {
        lines.current = [];
        changed();
        let partial = '';
        try {
          const res = await fetch(`${url}?follow=${live.current ? 1 : 0}`, { signal: ctl.signal });
          if (!res.ok || !res.body) {
            const why = ((await res.json().catch(() => ({}))) as { error?: string }).error ?? res.statusText;
            if (live.current) {
              setState('waiting');
              await sleep(1000);
              continue;
            }
            setState(`error: ${why}`);
            return;
          }
          setState(live.current ? 'streaming' : 'loading');
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parts = (partial + value).split('\n');
            partial = parts.pop() ?? '';
            for (const l of parts) lines.current.push(l.includes('\r') ? l.slice(l.replace(/\r+$/, '').lastIndexOf('\r') + 1).replace(/\r+$/, '') : l);
            changed();
          }
          if (partial) lines.current.push(partial);
          changed();
        } catch (err) {
          if (ctl.signal.aborted) return;
          setState(`error: ${(err as Error).message}`);
        }
        // the stream ended: the step is done, unless the view still says it runs (a cut connection)
        await sleep(1000);
        if (!live.current) {
          setState('done');
          return;
        }
      }
    })();
    return () => ctl.abort();
  }, [p.namespace, p.pod, p.container]);
  return state;
}

export function LogView(p: Props) {
  const lines = useRef<string[]>([]);
  const [count, setCount] = useState(0);
  const frame = useRef(0);
  const changed = (): void => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setCount(lines.current.length);
    });
  };
  const state = useLogStream(p, lines, changed);
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [follow, setFollow] = useState(p.line === undefined);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const cache = useRef(new Map<number, Chunk[]>());
  const q = query.toLowerCase();
  const matches = useMemo(() => {
    if (!q) return [];
    const out: number[] = [];
    lines.current.forEach((l, i) => { if (l.replace(ANSI, '').toLowerCase().includes(q)) out.push(i); });
    return out;
  }, [q, count]);
  const scrollTo = (i: number): void => {
    const el = box.current;
    if (el) el.scrollTop = Math.max(0, i * LH - el.clientHeight / 2);
  };
  useEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
    if (count === 0) cache.current.clear();
  }, [count, follow]);
  const jumped = useRef(false);
  useEffect(() => {
    if (p.line !== undefined && !jumped.current && count >= p.line) {
      jumped.current = true;
      setFollow(false);
      scrollTo(p.line - 1);
    }
  }, [count, p.line]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const step = (d: number): void => {
    if (matches.length === 0) return;
    const n = (current + d + matches.length) % matches.length;
    setCurrent(n);
    setFollow(false);
    scrollTo(matches[n] as number);
  };
  const first = Math.max(0, Math.floor(top / LH) - 30);
  const last = Math.min(count, Math.ceil((top + height) / LH) + 30);
  const matchSet = new Set(matches);
  if (cache.current.size > 4000) cache.current.clear();
  const rows = [];
  for (let i = first; i < last; i++) {
    let chunks = cache.current.get(i);
    if (!chunks) cache.current.set(i, (chunks = parse(lines.current[i] ?? '')));
    const cls = `line${matchSet.has(i) ? ' match' : ''}${matches[current] === i ? ' current' : ''}${p.line === i + 1 ? ' selected' : ''}`;
    rows.push(
      <div class={cls} key={i} id={`L${i + 1}`}>
        <a class="ln" href={p.linkFor(i + 1)} aria-label={`link to line ${i + 1}`}>{i + 1}</a>
        <span class="txt">{chunks.map((c) => (
          <span style={{ color: c.fg ? `rgb(${c.fg})` : undefined, background: c.bg ? `rgb(${c.bg})` : undefined }} class={(c.decorations ?? []).join(' ') || undefined}>{marked(c.content, q)}</span>
        ))}</span>
      </div>,
    );
  }
  const url = p.pod ? `api/logs/${path(p.namespace, p.pod, p.container)}` : '';
  return (
    <section class="log" aria-label={`Log of ${p.label}`}>
      <div class="log-bar">
        <label class="field inline"><span class="sr">Search the log</span>
          <input type="search" placeholder="Search log…" value={query} onInput={(e) => { setQuery((e.target as HTMLInputElement).value); setCurrent(0); }}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); step(e.shiftKey ? -1 : 1); } }} />
        </label>
        {q ? <span class="muted" aria-live="polite">{matches.length ? `${current + 1} of ${matches.length}` : 'no match'}</span> : null}
        {q ? <><button type="button" onClick={() => step(-1)} aria-label="previous match">↑</button><button type="button" onClick={() => step(1)} aria-label="next match">↓</button></> : null}
        <label class="toggle"><input type="checkbox" checked={follow} onChange={(e) => setFollow((e.target as HTMLInputElement).checked)} /> Follow</label>
        {url ? <a class="button" href={`${url}?download=1`} download>Download</a> : null}
        <span class="log-state" data-state={state}>{state === 'streaming' ? '● live' : state === 'waiting' ? 'waiting for the step to start…' : state.startsWith('error') ? state : `${count} lines`}</span>
      </div>
      <div class="log-box" ref={box} tabIndex={0} role="log" aria-live="off" style={{ height: `min(60vh, ${Math.max(8, count) * LH + 24}px)` }}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          setTop(el.scrollTop);
          if (el.scrollTop + el.clientHeight < el.scrollHeight - LH * 2 && follow) setFollow(false);
        }}>
        <div style={{ height: `${count * LH}px`, position: 'relative' }}>
          <div style={{ position: 'absolute', top: `${first * LH}px`, left: 0, right: 0 }}>{rows}</div>
        </div>
        {count === 0 && state !== 'streaming' ? <p class="note">{state === 'waiting' ? 'No output yet.' : state === 'done' || state === 'loading' ? 'No output.' : state}</p> : null}
      </div>
    </section>
  );
}
