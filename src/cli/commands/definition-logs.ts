/**
 * `tkt pipeline logs [pipeline] [pipelinerun]` and `tkt task logs [task] [taskrun]`, as tkn: the logs of a run of
 * that Pipeline/Task (label `tekton.dev/pipeline` / `tekton.dev/task`). With `--last`, or when the definition has one
 * run, that run; with several, tkn asks which one among the `--limit` most recent: tkt asks on a terminal (a
 * numbered list) and otherwise says which runs there are. Without a definition name, the only one in the
 * namespace is used.
 */
import type { Command } from 'commander';
import type { KubeObject, PipelineRun, TaskRun } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { UsageError } from '../errors.js';
import { pipelineRunLogs } from '../logs/pipelinerun.js';
import { taskRunLogs } from '../logs/taskrun.js';
import { KIND, getOrFail } from './common.js';
import { addPrefixFlags, checkRunOutcome, followContext, type LogsFlags } from './logs-shared.js';

interface Flavour {
  definition: KindRef;
  run: KindRef;
  label: string;
}
const PIPELINE: Flavour = { definition: KIND.Pipeline, run: KIND.PipelineRun, label: 'tekton.dev/pipeline' };
const TASK: Flavour = { definition: KIND.Task, run: KIND.TaskRun, label: 'tekton.dev/task' };

type Flags = LogsFlags & { limit?: string };

async function onlyDefinition(ctx: CliContext, f: Flavour, ns: string): Promise<string> {
  const all = await ctx.client().list<KubeObject>(f.definition, ns);
  const names = all.items.map((o) => o.metadata.name ?? '');
  if (names.length === 1 && names[0]) return names[0];
  if (names.length === 0) throw new UsageError(`no ${f.definition.kind}s found in namespace "${ns}"`);
  throw new UsageError(`several ${f.definition.kind}s in namespace "${ns}" (${names.join(', ')}): name one`);
}

async function ask(ctx: CliContext, kind: string, names: string[]): Promise<string> {
  ctx.printErr(`Select ${kind}:\n${names.map((n, i) => `  ${i + 1}) ${n}`).join('\n')}\n> `);
  const { createInterface } = await import('node:readline'); // not loaded at every start of tkt
  const rl = createInterface({ input: ctx.io.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    const chosen = names[Number(answer.trim()) - 1] ?? names.find((n) => n === answer.trim());
    if (!chosen) throw new UsageError(`no ${kind} selected`);
    return chosen;
  } finally {
    rl.close();
  }
}

/** The run to show: named, else the latest (`--last` or a single run), else chosen among the `--limit` latest. */
async function chooseRun(ctx: CliContext, f: Flavour, ns: string, definition: string, flags: Flags): Promise<string> {
  const list = await ctx.client().list<KubeObject>(f.run, ns, { labelSelector: `${f.label}=${definition}` });
  const key = (r: KubeObject): string => `${r.metadata.creationTimestamp ?? ''} ${r.metadata.name ?? ''}`;
  const limit = flags.limit === undefined ? 5 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, got "${flags.limit}"`);
  const names = [...list.items].sort((a, b) => key(b).localeCompare(key(a))).map((r) => r.metadata.name ?? '').slice(0, limit);
  if (names.length === 0) throw new UsageError(`no ${f.run.kind}s found for ${f.definition.kind} "${definition}" in namespace "${ns}"`);
  if (flags.last || names.length === 1) return names[0] ?? '';
  if (ctx.io.stdin.isTTY) return ask(ctx, f.run.kind, names);
  throw new UsageError(`${f.definition.kind} "${definition}" has several ${f.run.kind}s (${names.join(', ')}): name one, or use --last`);
}

function register(parent: Command, io: CliIO, f: Flavour, what: string): void {
  const lower = f.definition.kind.toLowerCase();
  const cmd = parent.command('logs').description(`Show the logs of a ${f.run.kind} of a ${f.definition.kind} (as tkn ${lower} logs)`)
    .argument(`[${lower}]`, `${f.definition.kind} name (the only one in the namespace when omitted)`)
    .argument(`[${f.run.kind.toLowerCase()}]`, `${f.run.kind} name (asked for, or the latest with --last)`)
    .option('-f, --follow', 'follow the run to its end; exit 1 if it fails')
    .option('-L, --last', `the most recent ${f.run.kind} of the ${f.definition.kind}`)
    .option('--limit <n>', `how many recent ${f.run.kind}s to choose from`, '5')
    .option('-a, --all', 'include init containers')
    .option('--timestamps', 'show each line\'s timestamp');
  addPrefixFlags(cmd, what).action(async (definition: string | undefined, runName: string | undefined, flags: Flags, command: Command) => {
    const ctx = CliContext.fromCommand(io, command);
    const ns = ctx.namespace();
    const def = definition ?? (await onlyDefinition(ctx, f, ns));
    if (definition) await getOrFail(ctx.client(), f.definition, ns, definition);
    const run = runName ?? (await chooseRun(ctx, f, ns, def, flags));
    const fc = followContext(ctx, flags);
    const final = f === PIPELINE
      ? await pipelineRunLogs(fc, (await getOrFail<PipelineRun>(ctx.client(), f.run, ns, run)).metadata.name ?? run, { follow: flags.follow === true })
      : await taskRunLogs(fc, (await getOrFail<TaskRun>(ctx.client(), f.run, ns, run)).metadata.name ?? run, flags.follow === true);
    checkRunOutcome(final, flags);
  });
}

/** Registers `logs` under `pipeline`. */
export function registerPipelineLogs(parent: Command, io: CliIO): void {
  register(parent, io, PIPELINE, '[task : step]');
}

/** Registers `logs` under `task`. */
export function registerTaskLogs(parent: Command, io: CliIO): void {
  register(parent, io, TASK, '[step]');
}
