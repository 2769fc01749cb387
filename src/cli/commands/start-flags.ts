/** The flags of `pipeline start` and `task start` (tkn's names). */
import { Option, type Command } from 'commander';
import { collect } from './logs-shared.js';

const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * Adds `-p`, `-w`, `-l`, `--use-param-defaults`, `--showlog`, `-E/--exit-with-pipelinerun-error`, `--dry-run`, `-s`, `--prefix-name`, `--timeout`,
 * `-o`, `-L/--last`, `--use-pipelinerun`/`--use-taskrun`, `-f/--filename`, `--pod-template`, and for PipelineRuns
 * `--pipeline-timeout`, `--tasks-timeout`, `--finally-timeout`, `--task-serviceaccount`.
 */
export function addStartFlags(cmd: Command, runKind: 'PipelineRun' | 'TaskRun'): Command {
  const use = runKind === 'PipelineRun' ? '--use-pipelinerun <name>' : '--use-taskrun <name>';
  cmd
    .option('-L, --last', `reuse the params, workspaces, service account, timeouts and pod template of the last ${runKind} (flags win)`)
    .option(use, `reuse the values of this ${runKind} (flags win)`)
    .option('-f, --filename <file>', `start the ${runKind === 'PipelineRun' ? 'Pipeline' : 'Task'} defined in this file (embedded in the run)`)
    .option('--pod-template <file>', 'pod template of the run (YAML or JSON file)');
  if (runKind === 'PipelineRun') {
    cmd
      .option('--pipeline-timeout <duration>', 'timeouts.pipeline of the PipelineRun')
      .option('--tasks-timeout <duration>', 'timeouts.tasks of the PipelineRun')
      .option('--finally-timeout <duration>', 'timeouts.finally of the PipelineRun')
      .option('--task-serviceaccount <task=sa>', 'service account of one pipeline task (repeatable)', repeat, []);
  }
  return cmd
    .option('-p, --param <name=value>', 'param value (repeatable); arrays as a,b,c; objects as "k:v, k2:v2"', repeat, [])
    .option('-w, --workspace <binding>', 'workspace binding (repeatable): name=ws,emptyDir= | name=ws,claimName=pvc | name=ws,config=cm | name=ws,secret=s [,subPath=dir]', repeat, [])
    .option('-l, --label <key=value>', `label of the ${runKind} (repeatable)`, collect, [])
    .option('--use-param-defaults', 'write the default values of unset params into the run')
    .option('--showlog', `follow the logs of the ${runKind}; exit 1 if it fails`)
    .option('-E, --exit-with-pipelinerun-error', `with --showlog: exit 0 if the ${runKind} succeeded, 1 if it failed (tkn's flag; tkt --showlog does this anyway)`)
    .option('--dry-run', `print the ${runKind} (YAML, or -o json) without creating it`)
    .option('-s, --serviceaccount <name>', 'service account of the run\'s pods')
    .option('--prefix-name <prefix>', `generate the ${runKind} name from this prefix instead of "<name>-run-"`)
    .option('--timeout <duration>', `timeout of the ${runKind} (e.g. 1h30m)`)
    .addOption(new Option('-o, --output <format>', 'print the created run in this format: json, yaml, name, jsonpath=TEMPLATE'));
}
