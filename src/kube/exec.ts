/**
 * A pods/exec client over WebSocket (`v5.channel.k8s.io`, else `v4.channel.k8s.io`), as kubectl 1.30+ speaks it:
 * stdin on channel 0 (its end signalled on v5's close channel 255), stdout 1, stderr 2, the final Status on 3 (the
 * exit code in its causes) and terminal sizes on 4. Used by `tkt taskrun exec`.
 */
import WebSocket from 'ws';
import type { KubeClient } from './client.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** What to run and where its input and output go. */
export interface ExecOptions {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  tty: boolean;
  stdin?: NodeJS.ReadableStream | null;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The terminal's size now, and a way to hear of its changes (a TTY on this side). */
  size?: () => { cols: number; rows: number } | undefined;
  onResize?: (listener: () => void) => () => void;
}

/** Thrown when the server refuses the exec (the Status message) or the connection fails. */
export class ExecError extends Error {}

interface ExitStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

/** The exit code a final Status gives: 0 on Success, the ExitCode cause on NonZeroExitCode, else an error. */
export function exitCodeOfStatus(s: ExitStatus): number {
  if (s.status === 'Success') return 0;
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  if (s.reason === 'NonZeroExitCode' && Number.isInteger(code)) return code;
  throw new ExecError(s.message ?? 'the command failed');
}

function execPath(o: ExecOptions): string {
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  q.set('container', o.container);
  q.set('stdout', 'true');
  if (!o.tty) q.set('stderr', 'true');
  if (o.stdin) q.set('stdin', 'true');
  if (o.tty) q.set('tty', 'true');
  return `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/exec?${q.toString()}`;
}

/** Runs the command; resolves with its exit code. */
export async function execInPod(client: KubeClient, o: ExecOptions): Promise<number> {
  const { url, options } = await client.streamTarget(execPath(o));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url, PROTOCOLS, { ...options, perMessageDeflate: false } as WebSocket.ClientOptions);
  return new Promise<number>((resolve, reject) => {
    let result: number | Error | undefined;
    const cleanups: Array<() => void> = [];
    const done = (r: number | Error): void => {
      result ??= r;
    };
    const send = (channel: number, data: Buffer | string): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
    };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => {
        let message = `${res.statusCode ?? ''} ${res.statusMessage ?? ''}`.trim();
        try {
          message = (JSON.parse(body) as { message?: string }).message ?? message;
        } catch {
          // not a Status
        }
        reject(new ExecError(message));
      });
    });
    ws.on('error', (err) => reject(new ExecError(err.message)));
    ws.on('open', () => {
      const resize = (): void => {
        const s = o.size?.();
        if (s) send(4, JSON.stringify({ Width: s.cols, Height: s.rows }));
      };
      if (o.tty) {
        resize();
        if (o.onResize) cleanups.push(o.onResize(resize));
      }
      if (o.stdin) {
        const onData = (b: Buffer | string): void => send(0, b);
        const onEnd = (): void => { if (ws.protocol === PROTOCOLS[0]) send(255, Buffer.from([0])); };
        o.stdin.on('data', onData);
        o.stdin.on('end', onEnd);
        cleanups.push(() => {
          o.stdin?.off('data', onData);
          o.stdin?.off('end', onEnd);
        });
      }
    });
    ws.on('message', (raw: Buffer) => {
      const ch = raw[0];
      const data = raw.subarray(1);
      if (ch === 1) o.stdout.write(data);
      else if (ch === 2) o.stderr.write(data);
      else if (ch === 3 && data.length > 0) {
        try {
          done(exitCodeOfStatus(JSON.parse(data.toString('utf8')) as ExitStatus));
        } catch (err) {
          done(err instanceof Error ? err : new ExecError(String(err)));
        }
      }
    });
    ws.on('close', () => {
      for (const c of cleanups) c();
      if (result === undefined) reject(new ExecError('the connection closed before the command finished'));
      else if (result instanceof Error) reject(result);
      else resolve(result);
    });
  });
}
