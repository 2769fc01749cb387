/**
 * `tkt eventlistener logs NAME [-t N]`, as tkn: the last N (default 10, -1 for all) lines of each pod labelled
 * `eventlistener=NAME`, each pod's lines after a blank line and prefixed `[<name>-<pod>]: `; `No pods available
 * for EventListener NAME` when there is none. Embedded mode serves EventListeners inside `tkt up` (no pod): there
 * the EventListener's Kubernetes Events (one per trigger outcome) are shown the same way, under `[<name>]: `.
 */
import type { Command } from 'commander';
import type { EventListener, KubeObject, Pod } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { UsageError } from '../../errors.js';
import { KIND, getOrFail } from '../common.js';

interface EventLike extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string };
}

const EVENT = { apiVersion: 'v1', kind: 'Event' };

function parseTail(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || (n <= 0 && n !== -1)) throw new UsageError('tail cannot be 0 or less than 0 unless -1 for all pods');
  return n;
}

async function eventLines(ctx: CliContext, name: string, tail: number): Promise<string[]> {
  const list = await ctx.client().list<EventLike>(EVENT, ctx.namespace(), { fieldSelector: `involvedObject.kind=EventListener,involvedObject.name=${name}` });
  const time = (e: EventLike): string => e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';
  const lines = list.items
    .filter((e) => e.involvedObject?.kind === 'EventListener' && e.involvedObject.name === name)
    .sort((a, b) => time(a).localeCompare(time(b)))
    .map((e) => `${time(e)} ${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
  return tail === -1 ? lines : lines.slice(-tail);
}

/** Registers `logs` under `eventlistener`. */
export function registerEventListenerLogs(parent: Command, io: CliIO): void {
  parent.command('logs').description('Show the logs of an EventListener\'s pods (in embedded mode: its Events)')
    .argument('<name>', 'EventListener name')
    .option('-t, --tail <n>', 'number of most recent log lines to show; -1 for all logs from each pod', '10')
    .action(async (name: string, flags: { tail: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const tail = parseTail(flags.tail);
      const ns = ctx.namespace();
      await getOrFail<EventListener>(ctx.client(), KIND.EventListener, ns, name);
      const pods = await ctx.client().list<Pod>(KIND.Pod, ns, { labelSelector: `eventlistener=${name}` });
      if (pods.items.length === 0) {
        const events = await eventLines(ctx, name, tail);
        if (events.length === 0) return void ctx.print(`No pods available for EventListener ${name}\n`);
        ctx.print(`\n${events.map((l) => `[${name}]: ${l}\n`).join('')}`);
        return;
      }
      for (const pod of pods.items) {
        const podName = pod.metadata.name ?? '';
        const text = await ctx.client().podLog(ns, podName, tail === -1 ? {} : { tailLines: tail });
        const lines = text.split('\n');
        if (lines.at(-1) === '') lines.pop();
        ctx.print(`\n${lines.map((l) => `[${name}-${podName}]: ${l}\n`).join('')}`);
      }
    });
}
