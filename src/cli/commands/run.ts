/**
 * `tkt run -f FILE_OR_DIR...`: one-shot embedded mode. Parses and validates every document first (exit 2 on
 * any problem, nothing started), starts embedded mode, applies the objects, creates the runs, follows their
 * logs, prints a summary and exits 0 only if every run succeeded.
 */
import { Option, type Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TaskRun } from '../../api/types.js';
import { parseDuration } from '../../engine/durations.js';
import { CliContext, type CliIO } from '../context.js';
import { parseFeatureFlagOptions, parseHostPorts, parseLogSize, RUNTIMES, startEmbeddedMode, type RuntimeName } from '../embedded.js';
import { InfraError, RunFailedError, UsageError } from '../errors.js';
import { LogPrinter } from '../logs/printer.js';
import { importOptional } from '../optional.js';
import { formatObject } from '../output/objects.js';
import { makeTheme, wantsColor } from '../output/theme.js';
import { applyObjects, bindDirWorkspaces, createRuns } from '../run/apply.js';
import { expandPaths, loadObjects, readFiles, type ManifestTools } from '../run/files.js';
import { planRun, type RunPlan } from '../run/plan.js';
import { ProgressFooter } from '../run/progress.js';
import { followRuns, type SessionResult } from '../run/session.js';
import { allSucceeded, formatSummary } from '../run/summary.js';

interface RunFlags {
  filename: string[];
  param: string[];
  workspace: string[];
  runtime: RuntimeName;
  dataDir?: string;
  timeout?: string;
  output?: string;
  keep?: boolean;
  featureFlags?: string[];
  allowPrivileged?: boolean;
  hostPort?: string[];
  maxLogSize?: string;
}

const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

async function manifestTools(): Promise<ManifestTools> {
  const load = await importOptional<ManifestTools>(() => import('../../api/load.js'));
  if (!load.mod?.parseManifests) throw new InfraError(`cannot load the manifest parser (src/api/load.ts): ${load.error ?? 'no parseManifests'}`);
  const validate = await importOptional<Pick<ManifestTools, 'validateObject'>>(() => import('../../api/validate/index.js'));
  return { parseManifests: load.mod.parseManifests, sourceOf: load.mod.sourceOf, validateObject: validate.mod?.validateObject };
}

async function plan(ctx: CliContext, flags: RunFlags): Promise<RunPlan> {
  const files = expandPaths(flags.filename, ctx.io.cwd);
  const texts = await readFiles(files, ctx.io.stdin);
  const objects = loadObjects(texts, await manifestTools(), (w) => ctx.printErr(`${w}\n`));
  return planRun(objects, { params: flags.param, workspaces: flags.workspace, namespace: ctx.opts.namespace ?? 'default' });
}

function timeoutOf(text: string | undefined): { ms: number; text: string } | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (Number.isNaN(ms) || ms <= 0) throw new UsageError(`invalid --timeout "${text}": expected a duration like 90s, 10m or 1h30m`);
  return { ms, text };
}

function printResult(ctx: CliContext, result: SessionResult, json: boolean): void {
  const stream = json ? ctx.io.stderr : ctx.io.stdout;
  const theme = makeTheme(wantsColor(stream, ctx.io.env, ctx.opts.color === false));
  const note = result.stopped === 'timeout' ? 'the runs timed out and were cancelled' : result.stopped === 'interrupt' ? 'interrupted: the runs were cancelled' : undefined;
  stream.write(`\n${formatSummary(result.outcomes, theme, note)}`);
  if (!json) return;
  const runs = result.outcomes.map((o) => o.run);
  const body = runs.length === 1 && runs[0] ? runs[0] : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: runs };
  ctx.print(formatObject(body, 'json'));
}

async function execute(ctx: CliContext, flags: RunFlags): Promise<void> {
  const json = flags.output === 'json';
  const timeout = timeoutOf(flags.timeout);
  const featureFlags = parseFeatureFlagOptions(flags.featureFlags);
  const p = await plan(ctx, flags);
  const dataDir = flags.dataDir ? resolve(ctx.io.cwd, flags.dataDir) : flags.keep ? mkdtempSync(join(tmpdir(), 'tkt-run-')) : undefined;
  const emb = await startEmbeddedMode({
    dataDir, runtime: flags.runtime, controllers: true, eventListeners: false, quiet: true, featureFlags, allowPrivileged: flags.allowPrivileged === true, hostPorts: parseHostPorts(flags.hostPort), maxLogBytes: parseLogSize(flags.maxLogSize), warn: (m) => ctx.printErr(`warning: ${m}\n`),
  });
  if (flags.runtime === 'auto') ctx.printErr(`tkt: runtime auto picked ${emb.runtime ?? 'host'}\n`);
  let result: SessionResult;
  try {
    const client = emb.client;
    ctx.useClient(client);
    await applyObjects(client, p.apply, p.runs);
    for (const r of p.runs) await bindDirWorkspaces(client, emb.dataDir, ctx.io.cwd, r);
    const created = await createRuns(client, p.runs);
    const logStream = json ? ctx.io.stderr : ctx.io.stdout;
    const theme = makeTheme(wantsColor(logStream, ctx.io.env, ctx.opts.color === false));
    const footer = logStream.isTTY ? new ProgressFooter(logStream, theme) : undefined;
    const printer = new LogPrinter({ out: logStream, err: ctx.io.stderr, theme, errTheme: ctx.err, showRun: created.length > 1, around: footer && ((w) => footer.around(w)) });
    result = await followRuns({ ctx, base: { client, namespace: ctx.opts.namespace ?? 'default', printer, options: {} }, runs: created, timeout, footer });
  } finally {
    await emb.stop();
  }
  printResult(ctx, result, json);
  if (flags.runtime === 'auto' && emb.runtime !== 'host' && pullFailed(result)) {
    ctx.printErr(`tkt: an image could not be pulled with runtime ${emb.runtime ?? 'auto'}; --runtime host runs the steps on this machine without pulling images\n`);
  }
  if (flags.keep || flags.dataDir) ctx.printErr(`data kept in ${emb.dataDir} (inspect it with: tkt up --data-dir ${emb.dataDir})\n`);
  if (!allSucceeded(result.outcomes)) throw new RunFailedError();
}

/** True when a run or one of its TaskRuns failed because an image could not be pulled. */
function pullFailed(result: SessionResult): boolean {
  const reasons = result.outcomes.flatMap((o) => [o.run as TaskRun, ...o.taskRuns]).map((r) => r.status?.conditions?.find((c) => c.type === 'Succeeded')?.reason);
  return reasons.includes('TaskRunImagePullFailed');
}

/** Registers `run`. */
export function registerRun(program: Command, io: CliIO): void {
  program.command('run').description('Run Tekton YAML on this machine: apply the files to an embedded cluster, follow the runs, print a summary')
    .requiredOption('-f, --filename <path>', 'file or directory of YAML/JSON documents, or - for stdin (repeatable)', repeat)
    .option('-p, --param <name=value>', 'param of the run generated for a lone Pipeline or Task (repeatable)', repeat, [])
    .option('-w, --workspace <binding>', 'workspace of the generated run: <ws>=emptyDir, <ws>=dir=PATH, or tkn\'s name=<ws>,emptyDir= (repeatable)', repeat, [])
    .addOption(new Option('--runtime <name>', 'how pods run').choices(RUNTIMES).default('auto'))
    .option('--data-dir <dir>', 'keep objects and logs here (default: a temporary directory, removed at the end)')
    .option('--timeout <duration>', 'cancel the runs and fail after this long (e.g. 10m)')
    .addOption(new Option('-o, --output <format>', 'print the final run objects on stdout (logs go to stderr)').choices(['json']))
    .option('--keep', 'keep the temporary data directory and print its path')
    .option('--feature-flags <key=value>', 'Tekton feature flag, written into tekton-pipelines/feature-flags (repeatable), e.g. results-from=sidecar-logs', repeat, [])
    .option('--host-port <port>', 'a TCP port on this machine\'s loopback that steps may reach (host runtime; podman as root), e.g. a local registry (repeatable)', (v: string, prev: string[] = []) => [...prev, v], [])
    .option('--max-log-size <size>', 'cap of each container\'s stored log, like the kubelet\'s (default 20Mi); output beyond it is dropped after a "log truncated" line')
    .option('--allow-privileged', 'grant pods privileged containers, host namespaces, hostPath volumes and extra capabilities (trusted workloads only)')
    .action(async (flags: RunFlags, command: Command) => {
      await execute(CliContext.fromCommand(io, command), flags);
    });
}
