/**
 * The runs page: PipelineRuns and TaskRuns newest first, filtered by kind, namespace, state, pipeline/task,
 * labels and name, one page at a time; refetched when the runs stream says something changed. The filter lives
 * in the URL, so a filtered view is a link.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RunPage, RunSummary } from '../../model/types.js';
import { getJson, subscribe } from '../api.js';
import { Status } from '../components/status.js';
import { ago, took, useNow } from '../format.js';
import { go, href, withQuery, type Route } from '../router.js';

const STATES = ['running', 'pending', 'succeeded', 'failed', 'cancelled'] as const;
const FIELDS = ['kind', 'namespace', 'status', 'pipeline', 'task', 'labels', 'search', 'page', 'pageSize'];

function runLink(r: RunSummary): string {
  return href([r.kind === 'PipelineRun' ? 'pipelineruns' : 'taskruns', r.namespace, r.name]);
}

function apiQuery(route: Route): string {
  const q = new URLSearchParams();
  for (const f of FIELDS) {
    const v = route.query.get(f);
    if (v) q.set(f, v);
  }
  if (!q.has('kind')) q.set('kind', 'PipelineRun');
  if (q.get('kind') === 'all') q.delete('kind');
  return q.toString();
}

function Filters({ route, namespaces, page }: { route: Route; namespaces: string[]; page: RunPage | undefined }) {
  const q = route.query;
  const set = (changes: Record<string, string | undefined>): void => go(withQuery(route, { ...changes, page: undefined }));
  const states = new Set((q.get('status') ?? '').split(',').filter(Boolean));
  const toggle = (s: string): void => {
    const next = new Set(states);
    if (next.has(s)) next.delete(s);
    else next.add(s);
    set({ status: [...next].join(',') || undefined });
  };
  const text = (name: string, label: string, placeholder: string) => (
    <label class="field">
      <span>{label}</span>
      <input type="search" name={name} value={q.get(name) ?? ''} placeholder={placeholder}
        onChange={(e) => set({ [name]: (e.target as HTMLInputElement).value.trim() || undefined })} />
    </label>
  );
  return (
    <form class="filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
      <label class="field">
        <span>Kind</span>
        <select name="kind" value={q.get('kind') ?? 'PipelineRun'} onChange={(e) => set({ kind: (e.target as HTMLSelectElement).value })}>
          <option value="PipelineRun">PipelineRuns</option>
          <option value="TaskRun">TaskRuns</option>
          <option value="all">All runs</option>
        </select>
      </label>
      <label class="field">
        <span>Namespace</span>
        <select name="namespace" value={q.get('namespace') ?? ''} onChange={(e) => set({ namespace: (e.target as HTMLSelectElement).value || undefined })}>
          <option value="">All namespaces</option>
          {namespaces.map((n) => <option value={n}>{n}</option>)}
        </select>
      </label>
      {text('pipeline', 'Pipeline', 'name')}
      {text('task', 'Task', 'name')}
      {text('labels', 'Labels', 'key=value,…')}
      {text('search', 'Name', 'contains…')}
      <fieldset class="chips">
        <legend>Status</legend>
        {STATES.map((s) => (
          <button type="button" class={`chip status-${s}`} aria-pressed={states.has(s)} onClick={() => toggle(s)}>
            {s} <span class="count">{page?.counts[s] ?? ''}</span>
          </button>
        ))}
      </fieldset>
    </form>
  );
}

function Pager({ route, page }: { route: Route; page: RunPage }) {
  const first = page.total === 0 ? 0 : page.page * page.pageSize + 1;
  const last = Math.min(page.total, (page.page + 1) * page.pageSize);
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  return (
    <nav class="pager" aria-label="Pages">
      <span aria-live="polite">{first}–{last} of {page.total.toLocaleString()}</span>
      <a class="button" aria-disabled={page.page === 0} href={page.page > 0 ? withQuery(route, { page: page.page - 1 || undefined }) : undefined}>‹ Newer</a>
      <span>page {page.page + 1} of {pages}</span>
      <a class="button" aria-disabled={page.page + 1 >= pages} href={page.page + 1 < pages ? withQuery(route, { page: page.page + 1 }) : undefined}>Older ›</a>
    </nav>
  );
}

export function RunsPage({ route }: { route: Route }) {
  const [page, setPage] = useState<RunPage>();
  const [error, setError] = useState('');
  const [namespaces, setNamespaces] = useState<string[]>([]);
  const [live, setLive] = useState(false);
  const now = useNow(5000);
  const query = apiQuery(route);
  const shown = useRef(-1);
  const refetch = useRef<() => void>(() => undefined);
  useEffect(() => {
    const ctl = new AbortController();
    let inFlight = false;
    let again = false;
    const load = (): void => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      getJson<RunPage>(`runs?${query}`, ctl.signal).then((p) => {
        shown.current = p.version;
        setPage(p);
        setError('');
      }, (e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      }).finally(() => {
        inFlight = false;
        if (again && !ctl.signal.aborted) {
          again = false;
          load();
        }
      });
    };
    refetch.current = load;
    load();
    return () => ctl.abort();
  }, [query]);
  useEffect(() => subscribe('runs/stream', {
    version: (v) => {
      if ((v as number) > shown.current) refetch.current();
    },
  }, setLive), []);
  useEffect(() => {
    getJson<string[]>('namespaces').then(setNamespaces, () => undefined);
  }, [page?.total]);
  const showKind = route.query.get('kind') === 'all';
  return (
    <section aria-labelledby="runs-title">
      <div class="page-head">
        <h1 id="runs-title">Runs</h1>
        <span class={`live ${live ? 'on' : ''}`} title={live ? 'updates arrive as runs change' : 'reconnecting…'}>{live ? 'live' : 'offline'}</span>
      </div>
      <Filters route={route} namespaces={namespaces} page={page} />
      {error ? <p class="error" role="alert">{error}</p> : null}
      {page && !page.synced ? <p class="note">Loading runs from the API server…</p> : null}
      {page ? (
        <>
          <div class="table-wrap">
            <table class="runs">
              <thead>
                <tr><th scope="col">Status</th><th scope="col">Name</th>{showKind ? <th scope="col">Kind</th> : null}<th scope="col">Namespace</th><th scope="col">Pipeline / Task</th><th scope="col">Started</th><th scope="col">Duration</th></tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={`${r.kind}/${r.namespace}/${r.name}`} data-state={r.state}>
                    <td><Status state={r.state} reason={r.reason} /></td>
                    <td class="name"><a href={runLink(r)}>{r.name}</a>{r.pipelineRun ? <div class="sub">of <a href={href(['pipelineruns', r.namespace, r.pipelineRun])}>{r.pipelineRun}</a></div> : null}</td>
                    {showKind ? <td>{r.kind}</td> : null}
                    <td>{r.namespace}</td>
                    <td>{r.pipeline ?? r.task ?? <span class="muted">embedded</span>}{r.pipelineTask ? <div class="sub">task {r.pipelineTask}</div> : null}</td>
                    <td><time dateTime={r.start ?? r.created} title={r.start ?? r.created}>{ago(r.start ?? r.created, now)}</time></td>
                    <td>{took(r.start, r.end, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && page.synced ? <p class="note">No runs match.</p> : null}
          <Pager route={route} page={page} />
        </>
      ) : error ? null : <p class="note">Loading…</p>}
    </section>
  );
}
