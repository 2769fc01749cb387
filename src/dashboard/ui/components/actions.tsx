/**
 * A run's action buttons (when the dashboard is not read-only): rerun always; cancel, and for PipelineRuns
 * "cancel, run finally" and "stop, run finally", while it runs; delete. Destructive ones ask first.
 */
import { useState } from 'preact/hooks';
import type { RunSummary } from '../../model/types.js';
import { runAction } from '../api.js';
import { go, href } from '../router.js';

interface Act {
  action: string;
  label: string;
  ask?: string;
  when: (s: RunSummary) => boolean;
}

const active = (s: RunSummary): boolean => s.state === 'running' || s.state === 'pending';

const ACTS: Act[] = [
  { action: 'rerun', label: 'Rerun', when: () => true },
  { action: 'cancel', label: 'Cancel', ask: 'Cancel this run? Running tasks are stopped and finally tasks do not run.', when: active },
  { action: 'cancel-run-finally', label: 'Cancel, run finally', ask: 'Cancel this run and run its finally tasks?', when: (s) => active(s) && s.kind === 'PipelineRun' },
  { action: 'stop', label: 'Stop, run finally', ask: 'Start no new tasks, let running ones finish, then run finally tasks?', when: (s) => active(s) && s.kind === 'PipelineRun' },
  { action: 'delete', label: 'Delete', ask: 'Delete this run and its TaskRuns?', when: () => true },
];

export function Actions({ summary, readOnly, specStatus }: { summary: RunSummary; readOnly: boolean; specStatus?: string | undefined }) {
  const [busy, setBusy] = useState('');
  const [said, setSaid] = useState<{ ok: boolean; text: string }>();
  if (readOnly) return null;
  const doIt = async (a: Act): Promise<void> => {
    if (a.ask && !window.confirm(a.ask)) return;
    setBusy(a.action);
    try {
      const r = await runAction(summary.kind, summary.namespace, summary.name, a.action);
      setSaid({ ok: true, text: r.message });
      if (a.action === 'rerun' && r.name) go(href([summary.kind === 'PipelineRun' ? 'pipelineruns' : 'taskruns', summary.namespace, r.name]));
      if (a.action === 'delete') go(href(['runs'], { kind: summary.kind }));
    } catch (err) {
      setSaid({ ok: false, text: (err as Error).message });
    } finally {
      setBusy('');
    }
  };
  return (
    <div class="actions" role="group" aria-label="Actions">
      {ACTS.filter((a) => a.when(summary)).map((a) => (
        <button type="button" class={`button action-${a.action}`} data-action={a.action} disabled={busy !== '' || (a.action !== 'rerun' && a.action !== 'delete' && Boolean(specStatus))} onClick={() => void doIt(a)}>
          {busy === a.action ? '…' : a.label}
        </button>
      ))}
      {specStatus ? <span class="muted">spec.status: {specStatus}</span> : null}
      {said ? <span class={said.ok ? 'ok' : 'error'} role="status">{said.text}</span> : null}
    </div>
  );
}
