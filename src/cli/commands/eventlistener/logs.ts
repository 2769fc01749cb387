/**
 * `tkt eventlistener logs <name> [-t N]` (tkn's): the sink's log. In cluster mode, the logs of the EventListener's
 * pods (label `eventlistener=<name>`, container `event-listener`); in embedded mode the in-process sink's log, kept
 * as pod `el-<name>`'s (src/triggers/log-lines.ts).
 */
import type { Command } from 'commander';
import type { KubeObject } from '../../../api/types.js';
import { ApiError } from '../../../kube/errors.js';
import { CliContext, type CliIO } from '../../context.js';
import { UsageError } from '../../errors.js';
import { getOrFail, KIND } from '../common.js';

const CONTAINER = 'event-listener';

function logPath(ns: string, pod: string, tail: number): string {
  const q = new URLSearchParams({ container: CONTAINER });
  if (tail >= 0) q.set('tailLines', String(tail));
  return `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log?${q.toString()}`;
}

/** Registers `logs` under `eventlistener`. */
export function registerEventListenerLogs(parent: Command, io: CliIO): void {
  parent.command('logs').description('Show the logs of an EventListener\'s sink')
    .argument('<name>', 'EventListener name')
    .option('-t, --tail <lines>', 'number of most recent lines to show (-1: all)', '-1')
    .action(async (name: string, flags: { tail: string }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const tail = Number(flags.tail);
      if (!Number.isInteger(tail) || tail < -1) throw new UsageError(`invalid --tail "${flags.tail}": give a number of lines, or -1 for all`);
      const client = ctx.client();
      const ns = ctx.namespace();
      await getOrFail(client, KIND.EventListener, ns, name);
      const pods = (await client.list<KubeObject>(KIND.Pod, ns, { labelSelector: `eventlistener=${name}` })).items;
      const names = pods.length > 0 ? pods.map((p) => p.metadata.name ?? '') : [`el-${name}`];
      let printed = false;
      for (const pod of names) {
        const text = await client.requestText('GET', logPath(ns, pod, tail)).catch((err: unknown) => {
          if (err instanceof ApiError && (err.code === 404 || err.code === 400)) return '';
          throw err;
        });
        if (!text) continue;
        if (names.length > 1) ctx.print(`--- ${pod}\n`);
        ctx.print(text.endsWith('\n') ? text : `${text}\n`);
        printed = true;
      }
      if (!printed) ctx.printErr(`No logs found for EventListener ${name}${pods.length > 0 ? '' : ' (no pods, and no embedded sink log yet)'}\n`);
    });
}
