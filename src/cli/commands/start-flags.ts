/** The flags of `pipeline start` and `task start` (tkn's names). */
import { Option, type Command } from 'commander';
import { collect } from './logs-shared.js';

const repeat = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds `-p`, `-w`, `-l`, `--use-param-defaults`, `--showlog`, `--dry-run`, `-s`, `--prefix-name`, `--timeout`, `-o`. */
export function addStartFlags(cmd: Command, runKind: string): Command {
  return cmd
    .option('-p, --param <name=value>', 'param value (repeatable); arrays as a,b,c; objects as "k:v, k2:v2"', repeat, [])
    .option('-w, --workspace <binding>', 'workspace binding (repeatable): name=ws,emptyDir= | name=ws,claimName=pvc | name=ws,config=cm | name=ws,secret=s [,subPath=dir]', repeat, [])
    .option('-l, --label <key=value>', `label of the ${runKind} (repeatable)`, collect, [])
    .option('--use-param-defaults', 'write the default values of unset params into the run')
    .option('--showlog', `follow the logs of the ${runKind}; exit 1 if it fails`)
    .option('--dry-run', `print the ${runKind} (YAML, or -o json) without creating it`)
    .option('-s, --serviceaccount <name>', 'service account of the run\'s pods')
    .option('--prefix-name <prefix>', `generate the ${runKind} name from this prefix instead of "<name>-run-"`)
    .option('--timeout <duration>', `timeout of the ${runKind} (e.g. 1h30m)`)
    .addOption(new Option('-o, --output <format>', 'print the created run in this format: json, yaml, name, jsonpath=TEMPLATE'));
}
