/**
 * The parts of `pipelinerun` and `taskrun` commands that are the same for both kinds: list, cancel, delete.
 * The command files only declare flags and call these.
 */
import type { KubeObject } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatObjectList, outputFormat } from '../output/objects.js';
import { formatRunTable, sortRunsByStart, type RunLike } from '../output/runs.js';
import { isDone } from '../output/status.js';
import { getOrFail, joinSelectors, KIND, parseLimit, type ListFlags } from './common.js';
import { confirm } from './prompt.js';

/** Lists runs of a kind; `ownerLabel` filters by `tekton.dev/pipeline=` or `tekton.dev/task=`. */
export async function listRuns(ctx: CliContext, ref: KindRef, flags: ListFlags, ownerLabel?: string): Promise<void> {
  const format = outputFormat(flags);
  const limit = parseLimit(flags.limit);
  const client = ctx.client();
  const ns = flags.allNamespaces ? undefined : ctx.namespace();
  const list = await client.list<RunLike>(ref, ns, { labelSelector: joinSelectors(ownerLabel, flags.label) });
  let items = sortRunsByStart(list.items);
  if (limit !== undefined) items = items.slice(0, limit);
  if (format) {
    ctx.print(formatObjectList(flags.reverse ? items.reverse() : items, ref, format));
    return;
  }
  ctx.print(formatRunTable(items, {
    now: ctx.now(), theme: ctx.out, allNamespaces: flags.allNamespaces, noHeaders: flags.headers === false,
    reverse: flags.reverse, emptyMessage: `No ${ref.kind}s found`,
  }));
}

/** Cancels a run by patching `spec.status`; refuses runs that already finished (exit 2). */
export async function cancelRun(ctx: CliContext, ref: KindRef, name: string, status: string): Promise<void> {
  const client = ctx.client();
  const ns = ctx.namespace();
  const run = await getOrFail<RunLike>(client, ref, ns, name);
  if (isDone(run.status?.conditions)) throw new UsageError(`failed to cancel ${ref.kind} ${name}: ${ref.kind} has already finished execution`);
  await client.patch(ref, ns, name, { spec: { status } });
  ctx.print(`${ref.kind} cancelled: ${name}\n`);
}

/** Flags of `delete`. */
export interface DeleteFlags {
  force?: boolean;
  all?: boolean;
  keep?: string;
  label?: string;
  keepSince?: string;
  ignoreRunning?: boolean;
  /** TaskRuns: false deletes the TaskRuns of running PipelineRuns too. */
  ignoreRunningPipelinerun?: boolean;
}

/** Names of the PipelineRuns that have not finished. */
async function runningPipelineRuns(ctx: CliContext): Promise<Set<string>> {
  const list = await ctx.client().list<RunLike>(KIND.PipelineRun, ctx.namespace());
  return new Set(list.items.filter((r) => !isDone(r.status?.conditions)).map((r) => r.metadata.name ?? ''));
}

function quoted(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

async function selectForDelete(ctx: CliContext, ref: KindRef, names: string[], flags: DeleteFlags, ownerLabel?: string): Promise<string[]> {
  const byFilter = flags.all || flags.keep !== undefined || flags.keepSince !== undefined || flags.label !== undefined || ownerLabel !== undefined;
  if (names.length > 0 && byFilter) throw new UsageError('give either names or --all/--keep/--keep-since/--label/owner filters, not both');
  if (flags.keep !== undefined && flags.keepSince !== undefined) throw new UsageError('--keep and --keep-since cannot be used together');
  if (names.length === 0 && !byFilter) throw new UsageError(`give the ${ref.kind} names to delete, or --all`);
  if (!byFilter) return names;
  const keep = flags.keep === undefined ? 0 : Number(flags.keep);
  if (!Number.isInteger(keep) || keep < 0) throw new UsageError(`invalid --keep "${flags.keep}": expected a number ≥ 0`);
  const list = await ctx.client().list<RunLike>(ref, ctx.namespace(), { labelSelector: joinSelectors(ownerLabel, flags.label) });
  let runs = sortRunsByStart(list.items);
  if (flags.ignoreRunning !== false) runs = runs.filter((r) => isDone(r.status?.conditions));
  if (ref.kind === 'TaskRun' && flags.ignoreRunningPipelinerun !== false) {
    const running = await runningPipelineRuns(ctx);
    runs = runs.filter((r) => !running.has(r.metadata.labels?.['tekton.dev/pipelineRun'] ?? ''));
  }
  if (flags.keepSince !== undefined) {
    const minutes = Number(flags.keepSince);
    if (!Number.isInteger(minutes) || minutes < 1) throw new UsageError(`invalid --keep-since "${flags.keepSince}": expected a number of minutes ≥ 1`);
    const since = ctx.now().getTime() - minutes * 60_000;
    runs = runs.filter((r) => !r.status?.completionTime || Date.parse(r.status.completionTime) < since);
  }
  return runs.slice(keep).map((r) => r.metadata.name ?? '');
}

/** Deletes runs by name or filter, asking first unless `-f`. Declining exits 2 with nothing deleted. */
export async function deleteObjects(ctx: CliContext, ref: KindRef, names: string[], flags: DeleteFlags, ownerLabel?: string): Promise<string[]> {
  const targets = await selectForDelete(ctx, ref, names, flags, ownerLabel);
  if (targets.length === 0) {
    ctx.print(`No ${ref.kind}s to delete\n`);
    return [];
  }
  if (!flags.force && !(await confirm(ctx, `Are you sure you want to delete ${ref.kind}(s) ${quoted(targets)} (y/n): `))) {
    throw new UsageError(`canceled deleting ${ref.kind.toLowerCase()}(s) ${quoted(targets)}`);
  }
  const client = ctx.client();
  const ns = ctx.namespace();
  if (names.length > 0) {
    for (const n of targets) await getOrFail<KubeObject>(client, ref, ns, n);
  }
  for (const n of targets) await client.delete(ref, ns, n);
  ctx.print(`${ref.kind}s deleted: ${quoted(targets)}\n`);
  return targets;
}
