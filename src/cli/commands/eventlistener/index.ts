/**
 * `tkt eventlistener` (alias `el`): `list`, `describe`, `delete`, `logs`, and — with `--name` and no subcommand — the sink
 * itself (`tkt eventlistener --name N -n NS --port 8080`).
 */
import type { Command } from 'commander';
import { CliContext, type CliIO } from '../../context.js';
import { registerEventListenerDelete } from '../triggers-resources.js';
import { registerEventListenerDescribe } from './describe.js';
import { registerEventListenerList } from './list.js';
import { registerEventListenerLogs } from './logs.js';
import { serveEventListener } from './serve.js';

/** Registers `eventlistener` and its subcommands. */
export function registerEventListener(program: Command, io: CliIO): void {
  const cmd = program.command('eventlistener').aliases(['el', 'eventlisteners'])
    .description('List and describe EventListeners; with --name, serve one EventListener (sink mode)')
    .option('--name <name>', 'serve this EventListener (sink mode)')
    .option('--port <port>', 'sink port', '8080')
    .option('--interceptor-timeout <duration>', 'timeout of each interceptor call (default 5s)')
    .option('--github-api-url <url>', 'GitHub API base for the github interceptor (default https://api.github.com)')
    .action(async (flags: { name?: string; port: string; interceptorTimeout?: string; githubApiUrl?: string }, command: Command) => {
      if (!flags.name) return void command.help({ error: true });
      await serveEventListener(CliContext.fromCommand(io, command), flags.name, flags.port, { interceptorTimeout: flags.interceptorTimeout, githubApiUrl: flags.githubApiUrl });
    });
  registerEventListenerList(cmd, io);
  registerEventListenerDescribe(cmd, io);
  registerEventListenerDelete(cmd, io);
  registerEventListenerLogs(cmd, io);
}
