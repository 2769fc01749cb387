/** The head of a run page (name, state, what it runs, times, actions) and the tabs under it. */
import { useEffect, useState } from 'preact/hooks';
import type { RunSummary } from '../../model/types.js';
import { getText, path } from '../api.js';
import { ago, took } from '../format.js';
import { go, href, withQuery, type Route } from '../router.js';
import { Actions } from './actions.js';
import { Status } from './status.js';

export function RunHeader({ s, readOnly, specStatus, now }: { s: RunSummary; readOnly: boolean; specStatus?: string | undefined; now: number }) {
  return (
    <header class="run-head">
      <p class="crumbs"><a href={href(['runs'], { kind: s.kind, namespace: s.namespace })}>{s.kind}s</a> / {s.namespace}</p>
      <h1>{s.name} <Status state={s.state} reason={s.reason} /></h1>
      <p class="meta">
        {s.pipeline ? <>Pipeline <a href={href(['runs'], { pipeline: s.pipeline, namespace: s.namespace })}>{s.pipeline}</a> · </> : null}
        {s.task && !s.pipelineRun ? <>Task <a href={href(['runs'], { kind: 'TaskRun', task: s.task, namespace: s.namespace })}>{s.task}</a> · </> : null}
        {s.pipelineRun ? <>PipelineRun <a href={href(['pipelineruns', s.namespace, s.pipelineRun])}>{s.pipelineRun}</a> · </> : null}
        {s.start ? <>started <time dateTime={s.start} title={s.start}>{ago(s.start, now)}</time> · {s.end ? 'took' : 'running for'} {took(s.start, s.end, now)}</> : 'not started'}
        {s.labels['dashboard.tekton.dev/rerunOf'] ? <> · rerun of <a href={href([s.kind === 'PipelineRun' ? 'pipelineruns' : 'taskruns', s.namespace, s.labels['dashboard.tekton.dev/rerunOf']])}>{s.labels['dashboard.tekton.dev/rerunOf']}</a></> : null}
      </p>
      {s.message && (s.state === 'failed' || s.state === 'cancelled') ? <p class={`message ${s.state}`}>{s.message}</p> : null}
      <Actions summary={s} readOnly={readOnly} specStatus={specStatus} />
    </header>
  );
}

export function Tabs({ route, tabs }: { route: Route; tabs: Array<[string, string]> }) {
  const current = route.query.get('tab') ?? tabs[0]?.[0];
  return (
    <div class="tabs" role="tablist">
      {tabs.map(([id, label]) => (
        <button type="button" role="tab" id={`tab-${id}`} aria-selected={current === id} onClick={() => go(withQuery(route, { tab: id === tabs[0]?.[0] ? undefined : id }), true)}>{label}</button>
      ))}
    </div>
  );
}

/** An object's YAML, fetched when shown. */
export function Yaml({ kind, namespace, name, version }: { kind: string; namespace: string; name: string; version?: unknown }) {
  const [text, setText] = useState('Loading…');
  useEffect(() => {
    getText(`yaml/${path(kind, namespace, name)}`).then(setText, (e: Error) => setText(`# ${e.message}`));
  }, [kind, namespace, name, version]);
  return (
    <div class="yaml">
      <button type="button" class="button" onClick={() => void navigator.clipboard?.writeText(text)}>Copy</button>
      <pre tabIndex={0} aria-label={`YAML of ${kind} ${name}`}><code>{text}</code></pre>
    </div>
  );
}
