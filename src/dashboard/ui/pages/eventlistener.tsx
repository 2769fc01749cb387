/** An EventListener: address, readiness, its triggers, the outcomes of recent events (its Events), YAML. */
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../api.js';
import { Yaml } from '../components/run-header.js';
import { useNow } from '../format.js';
import { href } from '../router.js';
import { EventTable, type EventRow } from './events.js';

interface Row { name: string; namespace?: string; parts: string[]; address?: string; ready?: string; description?: string }

export function EventListenerPage({ namespace, name }: { namespace: string; name: string }) {
  const [row, setRow] = useState<Row>();
  const [events, setEvents] = useState<EventRow[]>();
  const [error, setError] = useState('');
  const now = useNow(5000);
  useEffect(() => {
    let stop = false;
    const load = (): void => {
      getJson<Row[]>(`resources/eventlisteners?namespace=${encodeURIComponent(namespace)}`).then((rows) => { if (!stop) setRow(rows.find((r) => r.name === name)); }, (e: Error) => setError(e.message));
      getJson<EventRow[]>(`events?namespace=${encodeURIComponent(namespace)}&kind=EventListener&name=${encodeURIComponent(name)}&limit=200`).then((r) => { if (!stop) setEvents(r); }, (e: Error) => setError(e.message));
    };
    load();
    const t = setInterval(load, 5000);
    return () => { stop = true; clearInterval(t); };
  }, [namespace, name]);
  return (
    <article>
      <p class="crumbs"><a href={href(['eventlisteners'])}>EventListeners</a> / {namespace}</p>
      <h1>{name}</h1>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {row ? (
        <dl class="facts">
          <dt>Address</dt><dd><code>{row.address ?? 'not served yet'}</code></dd>
          <dt>Ready</dt><dd>{row.ready ?? 'unknown'}</dd>
          <dt>Triggers</dt><dd>{row.parts.join(', ') || 'none'}</dd>
        </dl>
      ) : null}
      <h2>Recent events and outcomes</h2>
      {events ? <EventTable rows={events} now={now} showObject={false} /> : <p class="note">Loading…</p>}
      <h2>YAML</h2>
      <Yaml kind="EventListener" namespace={namespace} name={name} />
    </article>
  );
}
