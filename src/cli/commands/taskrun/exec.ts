/**
 * `tkt taskrun exec NAME [-s STEP] [-i] [-t] -- CMD...`: runs a command in a step's container of a running
 * TaskRun (kubectl exec into the TaskRun's pod and the container `step-<name>`), by default the step that is
 * running now (the first one that has not finished). Exits with the command's exit code.
 */
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import type { Pod, TaskRun } from '../../../api/types.js';
import { execInPod } from '../../../kube/exec.js';
import { CliContext, type CliIO } from '../../context.js';
import { CliError, EXIT, InfraError, UsageError, type ExitCode } from '../../errors.js';
import { KIND, getOrFail } from '../common.js';

const POD = { apiVersion: 'v1', kind: 'Pod' };

/** Ends the command with the executed command's exit code (nothing more printed). */
class CommandExit extends CliError {
  constructor(code: number) {
    super('', code as ExitCode);
  }
}

interface StepRef {
  name: string;
  container: string;
}

/** The TaskRun's steps in order, with their containers (from its status, else from the pod). */
export function stepsOf(tr: TaskRun, pod: Pod): StepRef[] {
  const fromStatus = (tr.status?.steps ?? []).filter((s) => s.container).map((s) => ({ name: s.name ?? '', container: s.container as string }));
  if (fromStatus.length) return fromStatus;
  return pod.spec.containers.filter((c) => c.name.startsWith('step-')).map((c) => ({ name: c.name.slice('step-'.length), container: c.name }));
}

/** The step to enter: the named one, or the first one whose container has not finished. */
export function pickStep(tr: TaskRun, pod: Pod, step: string | undefined): StepRef {
  const steps = stepsOf(tr, pod);
  const trName = tr.metadata.name ?? '';
  if (step) {
    const s = steps.find((x) => x.name === step || x.container === step);
    if (!s) throw new UsageError(`TaskRun ${trName} has no step "${step}"; its steps: ${steps.map((x) => x.name).join(', ') || 'none'}`);
    return s;
  }
  const statuses = pod.status?.containerStatuses ?? [];
  const running = steps.find((s) => !statuses.find((c) => c.name === s.container)?.state?.terminated);
  if (!running) throw new UsageError(`TaskRun ${trName} has no running step (all its steps have finished)`);
  return running;
}

/** The terminal of this process, when stdin and stdout are both one. */
function terminal(io: CliIO): { size(): { cols: number; rows: number }; onResize(cb: () => void): () => void } | undefined {
  const out = io.stdout as NodeJS.WriteStream;
  return {
    size: () => ({ cols: out.columns || 80, rows: out.rows || 24 }),
    onResize: (cb) => {
      out.on?.('resize', cb);
      return () => out.off?.('resize', cb);
    },
  };
}

/** Registers `exec` under `taskrun`. */
export function registerTaskRunExec(parent: Command, io: CliIO): void {
  parent.command('exec').description('Run a command in a step of a running TaskRun (default: the step running now)')
    .argument('<name>', 'TaskRun name')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('-s, --step <name>', 'the step to enter (default: the one running now)')
    .option('-i, --stdin', 'pass stdin to the command')
    .option('-t, --tty', 'run the command on a terminal (needs a terminal here too)')
    .action(async (name: string, command: string[], flags: { step?: string; stdin?: boolean; tty?: boolean }, cmd: Command) => {
      const ctx = CliContext.fromCommand(io, cmd);
      const client = ctx.client();
      const ns = ctx.namespace();
      const tr = await getOrFail<TaskRun>(client, KIND.TaskRun, ns, name);
      const podName = tr.status?.podName;
      if (!podName) throw new UsageError(`TaskRun ${name} has no pod yet; wait until it is running`);
      const pod = await getOrFail<Pod>(client, POD, ns, podName);
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new UsageError(`TaskRun ${name} has finished: its pod ${podName} is ${pod.status.phase}`);
      const step = pickStep(tr, pod, flags.step);
      const stdin = io.stdin as NodeJS.ReadStream;
      const tty = flags.tty ? terminal(io) : undefined;
      if (flags.tty && !(stdin.isTTY && (io.stdout as NodeJS.WriteStream).isTTY)) {
        throw new UsageError('-t needs a terminal: stdin and stdout of tkt are not one (leave -t out, or run it in a terminal)');
      }
      // raw: keys go to the command as typed, and its output (already CR LF from its terminal) is not converted again
      const raw = tty !== undefined && typeof stdin.setRawMode === 'function';
      if (raw) {
        stdin.setRawMode(true);
        // Node's raw mode keeps output processing (LF -> CR LF): off too, as kubectl does
        if (stdin === process.stdin) spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
      }
      try {
        const outcome = await execInPod(client, {
          namespace: ns, pod: podName, container: step.container, command,
          ...(flags.stdin ? { stdin } : {}), ...(tty ? { tty } : {}),
          stdout: (b) => (io.stdout as NodeJS.WritableStream).write(b),
          stderr: (b) => (io.stderr as NodeJS.WritableStream).write(b),
        });
        if ('error' in outcome) throw new InfraError(`exec in ${podName} (container ${step.container}): ${outcome.error}`);
        if (outcome.exitCode !== EXIT.ok) throw new CommandExit(outcome.exitCode);
      } finally {
        if (raw) stdin.setRawMode(false);
        if (flags.stdin) stdin.pause();
      }
    });
}
