/**
 * `tkt version [--component client|pipeline|triggers] [--client]`, as `tkn version`: the client's version, then
 * the cluster's Pipelines and Triggers versions. Like tkn they come from the `pipelines-info` / `triggers-info`
 * ConfigMaps of the system namespace (Tekton's release and tektite's config/ ship them); without them the
 * versions of the API groups the server serves are shown, so a user can tell a tektite `tkt up` (which says
 * so in `/version`) from a Tekton cluster and see which Tekton API levels it speaks.
 */
import type { Command } from 'commander';
import type { KubeObject } from '../../api/types.js';
import { CliContext, type CliIO } from '../context.js';
import { UsageError } from '../errors.js';
import { TKT_VERSION } from '../version.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };
const CONFIG_MAP = { apiVersion: 'v1', kind: 'ConfigMap' };
const COMPONENTS = ['client', 'pipeline', 'triggers'] as const;

interface ServerFacts {
  server?: string;
  pipeline?: string;
  triggers?: string;
  error?: string;
}

async function servedVersions(ctx: CliContext, group: string): Promise<string[]> {
  try {
    const g = await ctx.client().request<{ versions?: { version: string }[] }>('GET', `/apis/${group}`);
    return (g.versions ?? []).map((v) => v.version);
  } catch {
    return [];
  }
}

async function componentVersion(ctx: CliContext, ns: string, configMap: string, group: string, engine: string): Promise<string | undefined> {
  const cm = await ctx.client().tryGet<ConfigMap>(CONFIG_MAP, ns, configMap).catch(() => undefined);
  if (cm?.data?.version) return cm.data.version;
  const versions = await servedVersions(ctx, group);
  if (versions.length === 0) return undefined;
  return `${engine}(serves ${versions.map((v) => `${group}/${v}`).join(', ')})`;
}

async function gather(ctx: CliContext, ns: string): Promise<ServerFacts> {
  try {
    const v = await ctx.client().request<{ gitVersion?: string }>('GET', '/version');
    const engine = v.gitVersion?.includes('tektite') ? 'tektite ' : '';
    return {
      server: v.gitVersion,
      pipeline: await componentVersion(ctx, ns, 'pipelines-info', 'tekton.dev', engine),
      triggers: await componentVersion(ctx, ns, 'triggers-info', 'triggers.tekton.dev', engine),
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function render(facts: ServerFacts): string {
  const unknown = facts.error
    ? `unknown (${facts.error})`
    : 'unknown, pipeline controller may be installed in another namespace please use tkt version -n {namespace}';
  const lines = [`Client version: ${TKT_VERSION}`];
  if (facts.server) lines.push(`Kubernetes version: ${facts.server}`);
  lines.push(`Pipeline version: ${facts.pipeline ?? unknown}`);
  if (facts.triggers) lines.push(`Triggers version: ${facts.triggers}`);
  return `${lines.join('\n')}\n`;
}

/** Registers `version`. */
export function registerVersion(program: Command, io: CliIO): void {
  program.command('version').description('Print the client version and the Pipelines/Triggers versions of the cluster (as tkn version)')
    .option('--component <name>', `print only one version: ${COMPONENTS.join(', ')}`)
    .option('--client', 'print only the client version (no cluster needed)')
    .action(async (flags: { component?: string; client?: boolean }, command: Command) => {
      const ctx = CliContext.fromCommand(io, command);
      const component = flags.client ? 'client' : flags.component;
      if (component !== undefined && !(COMPONENTS as readonly string[]).includes(component)) {
        throw new UsageError(`unknown component "${component}": use one of ${COMPONENTS.join(', ')}`);
      }
      if (component === 'client') return ctx.print(`${TKT_VERSION}\n`);
      const ns = ctx.opts.namespace ?? 'tekton-pipelines';
      let facts: ServerFacts;
      try {
        facts = await gather(ctx, ns);
      } catch (err) {
        facts = { error: err instanceof Error ? err.message : String(err) };
      }
      if (component === 'pipeline') return ctx.print(`${facts.pipeline ?? 'unknown'}\n`);
      if (component === 'triggers') return ctx.print(`${facts.triggers ?? 'unknown'}\n`);
      ctx.print(render(facts));
    });
}
