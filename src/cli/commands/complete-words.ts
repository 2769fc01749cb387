/**
 * `tkt __complete WORD... CURRENT` (hidden): the completion candidates of the last word, one per line, computed from
 * the command tree (subcommands, aliases, flags) and — after a command that takes a run or definition name — the
 * names of those objects in the namespace (`-n` on the line, else the kubeconfig's). Errors print nothing: a shell
 * completion never shows a stack or a message. Used by the fish and PowerShell scripts, and by bash/zsh for names.
 */
import type { Command } from 'commander';
import type { KubeObject } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import { CliContext, type CliIO } from '../context.js';
import { KIND } from '../kinds.js';

const NAMED_SUBCOMMANDS = new Set(['describe', 'desc', 'logs', 'cancel', 'delete', 'rm', 'rerun', 'export', 'start', 'exec']);
const KIND_OF: Record<string, KindRef> = {
  pipelinerun: KIND.PipelineRun, taskrun: KIND.TaskRun, pipeline: KIND.Pipeline, task: KIND.Task, eventlistener: KIND.EventListener,
  triggertemplate: KIND.TriggerTemplate, triggerbinding: KIND.TriggerBinding, clustertriggerbinding: KIND.ClusterTriggerBinding,
};

function sub(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

function flagsOf(cmd: Command, program: Command): string[] {
  return [...cmd.options, ...(cmd === program ? [] : program.options)].flatMap((o) => [o.long, o.short]).filter((f): f is string => Boolean(f));
}

/** The command a line has reached, the top-level command name on the way, and the `-n` value if given. */
export function walk(program: Command, words: string[]): { cmd: Command; top?: string; namespace?: string; kubeconfig?: string } {
  let cmd = program;
  let top: string | undefined;
  const seen: Record<string, string | undefined> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const long = /^--(namespace|kubeconfig)=(.*)$/.exec(w);
    if (long) seen[long[1] ?? ''] = long[2];
    else if (w === '-n' || w === '--namespace') seen.namespace = words[++i];
    else if (w === '-k' || w === '--kubeconfig') seen.kubeconfig = words[++i];
    if (w.startsWith('-')) continue;
    const next = sub(cmd, w);
    if (!next) continue;
    if (cmd === program) top = next.name();
    cmd = next;
  }
  return { cmd, top, namespace: seen.namespace, kubeconfig: seen.kubeconfig };
}

async function names(io: CliIO, ref: KindRef, namespace: string | undefined, kubeconfig: string | undefined): Promise<string[]> {
  const ctx = new CliContext(io, { namespace, kubeconfig });
  const list = await ctx.client().list<KubeObject>(ref, ctx.namespace());
  return list.items.map((o) => o.metadata.name ?? '').filter(Boolean);
}

/** The candidates for the last of `words` (the word being typed; may be empty). */
export async function completeWords(io: CliIO, program: Command, words: string[]): Promise<string[]> {
  const current = words[words.length - 1] ?? '';
  const { cmd, top, namespace, kubeconfig } = walk(program, words.slice(0, -1));
  const out = current.startsWith('-') ? flagsOf(cmd, program) : cmd.commands.filter((c) => !c.name().startsWith('_') && c.name() !== 'help').map((c) => c.name());
  const ref = top ? KIND_OF[top] : undefined;
  if (!current.startsWith('-') && ref && NAMED_SUBCOMMANDS.has(cmd.name())) out.push(...(await names(io, ref, namespace, kubeconfig).catch(() => [])));
  return out.filter((w) => w.startsWith(current));
}
