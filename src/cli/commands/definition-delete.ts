/** `tkt pipeline delete` and `tkt task delete`: the definitions, and with `--prs`/`--trs` their runs too. */
import type { KubeObject } from '../../api/types.js';
import type { KindRef } from '../../kube/client.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { getOrFail } from './common.js';
import { confirm } from './prompt.js';

/** Flags of a definition delete. */
export interface DefinitionDeleteFlags {
  force?: boolean;
  all?: boolean;
  runs?: boolean;
}

function quoted(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** Deletes definitions (and optionally their runs, found by `runLabel=<name>`), asking first unless `-f`. */
export async function deleteDefinitions(ctx: CliContext, ref: KindRef, runRef: KindRef, runLabel: string, names: string[], flags: DefinitionDeleteFlags): Promise<void> {
  if (names.length > 0 && flags.all) throw new UsageError('give either names or --all, not both');
  if (names.length === 0 && !flags.all) throw new UsageError(`give the ${ref.kind} names to delete, or --all`);
  const client = ctx.client();
  const ns = ctx.namespace();
  const targets = flags.all ? (await client.list<KubeObject>(ref, ns)).items.map((o) => o.metadata.name ?? '') : names;
  for (const n of flags.all ? [] : targets) await getOrFail(client, ref, ns, n);
  if (targets.length === 0) return void ctx.print(`No ${ref.kind}s to delete\n`);
  const what = flags.runs ? `${ref.kind}(s) ${quoted(targets)} and their ${runRef.kind}s` : `${ref.kind}(s) ${quoted(targets)}`;
  if (!flags.force && !(await confirm(ctx, `Are you sure you want to delete ${what} (y/n): `))) {
    throw new UsageError(`canceled deleting ${ref.kind.toLowerCase()}(s) ${quoted(targets)}`);
  }
  for (const n of targets) {
    if (flags.runs) {
      const runs = await client.list<KubeObject>(runRef, ns, { labelSelector: `${runLabel}=${n}` });
      for (const r of runs.items) await client.delete(runRef, ns, r.metadata.name ?? '');
    }
    await client.delete(ref, ns, n);
  }
  ctx.print(`${ref.kind}s deleted: ${quoted(targets)}\n`);
}
