/** `tkt taskrun exec <name> [-s STEP] [-i] [-t] -- COMMAND...`: kubectl exec into a TaskRun's step. */
import type { Command } from 'commander';
import type { Pod, TaskRun } from '../../../api/types.js';
import { CliContext, type CliIO } from '../../context.js';
import { CommandExitError, InfraError, UsageError } from '../../errors.js';
import { KIND } from '../common.js';

interface ExecFlags {
  step?: string;
  container?: string;
  stdin?: boolean;
  tty?: boolean;
}

type ContainerState = { running?: unknown; terminated?: unknown; waiting?: unknown };

/** The container to enter: `-c`, else `step-<-s>`, else the step that is running now. */
export function pickStepContainer(tr: TaskRun, pod: Pod | undefined, flags: ExecFlags): string {
  const name = tr.metadata.name ?? '';
  const statuses = (pod?.status?.containerStatuses ?? []) as Array<{ name: string; state?: ContainerState }>;
  const known = [...(pod?.spec?.containers ?? []).map((c) => c.name)];
  const want = flags.container ?? (flags.step ? `step-${flags.step}` : undefined);
  if (want) {
    if (!known.includes(want)) {
      const steps = known.filter((c) => c.startsWith('step-')).map((c) => c.slice(5));
      throw new UsageError(`TaskRun ${name} has no ${flags.container ? `container "${want}"` : `step "${flags.step ?? ''}"`}; its steps: ${steps.join(', ') || 'none'}`);
    }
    return want;
  }
  const running = statuses.find((s) => s.name.startsWith('step-') && s.state?.running);
  if (!running) throw new UsageError(`no step of TaskRun ${name} is running now; name one with -s STEP (a step can be entered only while it runs)`);
  return running.name;
}

/** Registers `exec` under `taskrun`. */
export function registerTaskRunExec(parent: Command, io: CliIO): void {
  parent.command('exec').description('Run a command in a running step of a TaskRun (as kubectl exec)')
    .argument('<name>', 'TaskRun name')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('-s, --step <step>', 'the step to enter (default: the step running now)')
    .option('-c, --container <container>', 'a container of the pod by name (a sidecar: sidecar-NAME)')
    .option('-i, --stdin', 'pass this terminal\'s input to the command')
    .option('-t, --tty', 'give the command a terminal')
    .action(async (name: string, command: string[], flags: ExecFlags, cmd: Command) => {
      const ctx = CliContext.fromCommand(io, cmd);
      const client = ctx.client();
      const ns = ctx.namespace();
      const tr = await client.tryGet<TaskRun>(KIND.TaskRun, ns, name);
      if (!tr) throw new UsageError(`TaskRun ${name} not found in namespace ${ns}`);
      const podName = tr.status?.podName;
      const pod = podName ? await client.tryGet<Pod>(KIND.Pod, ns, podName) : undefined;
      if (!podName || !pod) throw new UsageError(`TaskRun ${name} has no pod${podName ? ` (${podName} is gone)` : ' yet'}`);
      const container = pickStepContainer(tr, pod, flags);
      const code = await runExec(ctx, io, { ns, pod: podName, container, command, flags });
      if (code !== 0) throw new CommandExitError(code);
    });
}

async function runExec(ctx: CliContext, io: CliIO, a: { ns: string; pod: string; container: string; command: string[]; flags: ExecFlags }): Promise<number> {
  const stdin = io.stdin as NodeJS.ReadStream;
  const tty = a.flags.tty === true && stdin.isTTY === true;
  if (a.flags.tty && !tty) io.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  const out = process.stdout;
  // loaded here: the WebSocket client (ws) is not worth loading at every start of tkt
  const { execInPod, ExecError } = await import('../../../kube/exec.js');
  if (tty) stdin.setRawMode(true);
  try {
    return await execInPod(ctx.client(), {
      namespace: a.ns, pod: a.pod, container: a.container, command: a.command, tty,
      stdin: a.flags.stdin ? stdin : null, stdout: io.stdout as NodeJS.WritableStream, stderr: io.stderr as NodeJS.WritableStream,
      size: () => (out.isTTY ? { cols: out.columns, rows: out.rows } : undefined),
      onResize: (listener) => {
        out.on('resize', listener);
        return () => out.off('resize', listener);
      },
    });
  } catch (err) {
    if (err instanceof ExecError) throw new InfraError(`exec in ${a.pod}/${a.container}: ${err.message}`);
    throw err;
  } finally {
    if (tty) stdin.setRawMode(false);
    if (a.flags.stdin) stdin.pause();
  }
}
