/** Helpers shared by the resource commands: fetching by name or latest, list flags. */
import { Option, type Command } from 'commander';
import type { KubeObject } from '../../api/types.js';
import type { KindRef, KubeClient } from '../../kube/client.js';
import { KIND } from '../kinds.js';
import { isNotFound } from '../../kube/errors.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { choose } from './prompt.js';
import type { RunLike } from '../output/runs.js';

export { KIND };

/** Gets an object; NotFound becomes a usage error (exit 2) naming the kind, name and namespace. */
export async function getOrFail<T extends KubeObject>(client: KubeClient, ref: KindRef, ns: string, name: string): Promise<T> {
  try {
    return await client.get<T>(ref, ns, name);
  } catch (err) {
    if (isNotFound(err)) throw new UsageError(`${ref.kind} "${name}" not found in namespace "${ns}"`);
    throw err;
  }
}

/**
 * The run to act on: the named one, else the most recently created in the namespace,
 * optionally among those with a label selector. Fails with exit 2 when there is none.
 */
export async function resolveRun<T extends RunLike>(client: KubeClient, ref: KindRef, ns: string, name: string | undefined, labelSelector?: string): Promise<T> {
  if (name) return getOrFail<T>(client, ref, ns, name);
  const list = await client.list<T>(ref, ns, labelSelector ? { labelSelector } : {});
  const key = (r: T): string => `${r.metadata.creationTimestamp ?? ''} ${r.metadata.name ?? ''}`;
  const latest = [...list.items].sort((a, b) => key(b).localeCompare(key(a)))[0];
  if (!latest) throw new UsageError(`no ${ref.kind}s found in namespace "${ns}"`);
  return latest;
}

/** tkn's run-selection flags of `logs` and `describe`: `-L/--last`, `--limit N`, `-F/--fzf`. */
export interface PickFlags {
  last?: boolean;
  limit?: string;
  fzf?: boolean;
}

/** Adds `--limit` and `-F/--fzf` (tkn's way to pick a run; tkt asks with a numbered list, no fzf needed). */
export function addPickFlags(cmd: Command, kind: string): Command {
  return cmd
    .option('--limit <n>', `how many recent ${kind}s -F chooses from (default 5)`)
    .option('-F, --fzf', `choose the ${kind} from the --limit most recent (a numbered list on the terminal)`);
}

/**
 * The run a `logs`/`describe` acts on: the named one; else with `-F` the one chosen among the `--limit` (5)
 * most recent (asked on a terminal; otherwise exit 2 listing them); else the most recent.
 */
export async function pickRun<T extends RunLike>(ctx: CliContext, ref: KindRef, name: string | undefined, flags: PickFlags): Promise<T> {
  const ns = ctx.namespace();
  const limit = parseLimit(flags.limit) ?? 5;
  if (name && !flags.last && !flags.fzf) return getOrFail<T>(ctx.client(), ref, ns, name);
  if (!flags.fzf) return resolveRun<T>(ctx.client(), ref, ns, undefined);
  const list = await ctx.client().list<T>(ref, ns);
  const key = (r: T): string => `${r.metadata.creationTimestamp ?? ''} ${r.metadata.name ?? ''}`;
  const names = [...list.items].sort((a, b) => key(b).localeCompare(key(a))).slice(0, limit).map((r) => r.metadata.name ?? '');
  if (names.length === 0) throw new UsageError(`no ${ref.kind}s found in namespace "${ns}"`);
  if (names.length > 1 && !ctx.io.stdin.isTTY) throw new UsageError(`-F asks which ${ref.kind} to use, and stdin is not a terminal: name one of ${names.join(', ')}`);
  const chosen = names.length === 1 ? names[0] ?? '' : await choose(ctx, ref.kind, names);
  return getOrFail<T>(ctx.client(), ref, ns, chosen);
}

/** Options of every `list` command. */
export interface ListFlags {
  output?: string;
  limit?: string;
  label?: string;
  reverse?: boolean;
  allNamespaces?: boolean;
  headers?: boolean;
}

/** Adds tkn's list flags: `--limit`, `--label`, `--reverse`, `-A`, `--no-headers`, `-o`. */
export function addListFlags(cmd: Command, opts: { runs: boolean }): Command {
  if (opts.runs) {
    cmd.option('--limit <n>', 'show at most this many runs').option('--label <selector>', 'label selector (e.g. app=x,env!=prod)').option('--reverse', 'oldest first');
  }
  return cmd
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('--no-headers', 'do not print the header row')
    .addOption(new Option('-o, --output <format>', 'output format: json, yaml, name, jsonpath=T, jsonpath-file=F, jsonpath-as-json=T, go-template=T, go-template-file=F'));
}

/** Parses `--limit`: a positive integer. */
export function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid --limit "${value}": expected a positive integer`);
  return n;
}

/** Joins label selectors, skipping empty ones. */
export function joinSelectors(...parts: Array<string | undefined>): string | undefined {
  const s = parts.filter((p): p is string => Boolean(p)).join(',');
  return s || undefined;
}
