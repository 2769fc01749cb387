/**
 * The `tkt` commander program: global flags, inherited settings (errors thrown instead of exiting, output
 * through the injected streams) and every command, one file each under `commands/`.
 */
import { Command, Option } from 'commander';
import type { CliIO } from './context.js';
import { registerCompletion } from './commands/completion.js';
import { registerController } from './commands/controller.js';
import { registerCustomRun } from './commands/customrun/index.js';
import { registerEventListener } from './commands/eventlistener/index.js';
import { registerPipeline } from './commands/pipeline/index.js';
import { registerPipelineRun } from './commands/pipelinerun/index.js';
import { registerRun } from './commands/run.js';
import { registerTask } from './commands/task/index.js';
import { registerTaskRun } from './commands/taskrun/index.js';
import { registerTriggerResources } from './commands/triggers-resources.js';
import { registerUp } from './commands/up.js';
import { registerVersion } from './commands/version.js';
import { registerWebhook } from './commands/webhook.js';
import { addTemplateFlagsEverywhere } from './output/objects.js';
import { TKT_VERSION } from './version.js';

export { TKT_VERSION } from './version.js';

/** Builds the program; commands write through `io`. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('tkt');
  program
    .description('tektite: run Tekton pipelines on Kubernetes or on this machine, and inspect them like tkn')
    .version(TKT_VERSION, '--version', 'print the version')
    .addOption(new Option('-k, --kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster, then ./.tkt/kubeconfig of a tkt up started here)'))
    .addOption(new Option('-c, --context <name>', 'kubeconfig context to use'))
    .addOption(new Option('-n, --namespace <ns>', 'namespace (default: the context namespace, else "default")'))
    .addOption(new Option('-C, --no-color', 'disable colours (also NO_COLOR=1)'))
    .addOption(new Option('--debug', 'print stack traces of errors'))
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s),
    })
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true);
  registerPipelineRun(program, io);
  registerTaskRun(program, io);
  registerCustomRun(program, io);
  registerPipeline(program, io);
  registerTask(program, io);
  registerEventListener(program, io);
  registerTriggerResources(program, io);
  registerRun(program, io);
  registerUp(program, io);
  registerController(program, io);
  registerWebhook(program, io);
  registerCompletion(program, io);
  registerVersion(program, io);
  addTemplateFlagsEverywhere(program);
  return program;
}
