/** A state badge: symbol, word and colour (the word is always there: colour is never the only signal). */
import { icon } from '../format.js';

/** Reasons that only repeat the state. */
const QUIET = new Set(['Running', 'Completed', 'Succeeded', 'Failed', 'Pending', 'Started']);

export function Status({ state, reason }: { state: string; reason?: string | undefined }) {
  const word = state.charAt(0).toUpperCase() + state.slice(1);
  const extra = reason && reason.toLowerCase() !== state && !QUIET.has(reason) ? reason : '';
  return (
    <span class={`status status-${state}`} title={extra ? `${word}: ${extra}` : word}>
      <span aria-hidden="true" class="status-icon">{icon(state)}</span> {word}
      {extra ? <span class="status-reason"> ({extra})</span> : null}
    </span>
  );
}
