/**
 * The client side of `pods/exec` over WebSocket (`v5.channel.k8s.io`, v4 as a fallback): what `tkt tr exec`
 * uses, as kubectl 1.30+ does. Channel bytes: 0 stdin, 1 stdout, 2 stderr, 3 error (a metav1.Status carrying the
 * exit code), 4 resize; v5's close signal (255, channel) ends stdin.
 */
import type https from 'node:https';
import { WebSocket } from 'ws';
import type { KubeClient } from './client.js';

/** What to run and where the streams go. */
export interface ExecOptions {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** Input for the command (absent: none). */
  stdin?: NodeJS.ReadableStream;
  /** A terminal: stdout only, and the size from `size()` (sent again on `onResize`). */
  tty?: { size(): { cols: number; rows: number }; onResize(cb: () => void): () => void };
  stdout: (chunk: Buffer) => void;
  stderr: (chunk: Buffer) => void;
}

/** How the command ended: its exit code, or the server's error message. */
export type ExecOutcome = { exitCode: number } | { error: string };

/** Reads the exit code from the error channel's Status. */
export function outcomeOf(statusText: string): ExecOutcome {
  if (!statusText.trim()) return { exitCode: 0 };
  let s: { status?: string; message?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  try {
    s = JSON.parse(statusText) as typeof s;
  } catch {
    return { error: statusText.trim() };
  }
  if (s.status === 'Success') return { exitCode: 0 };
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  if (s.reason === 'NonZeroExitCode' && Number.isInteger(code)) return { exitCode: code };
  return { error: s.message ?? statusText.trim() };
}

function execPath(o: ExecOptions): string {
  const q = new URLSearchParams();
  for (const c of o.command) q.append('command', c);
  q.set('container', o.container);
  q.set('stdin', String(o.stdin !== undefined));
  q.set('stdout', 'true');
  q.set('stderr', String(!o.tty));
  q.set('tty', String(o.tty !== undefined));
  return `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/exec?${q.toString()}`;
}

/** Runs a command in a container and resolves with how it ended (never rejects once connected). */
export async function execInPod(client: KubeClient, o: ExecOptions): Promise<ExecOutcome> {
  const tls: https.RequestOptions = {};
  await client.connection.applyToHTTPSOptions(tls);
  const base = client.server;
  const url = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}${base.pathname.replace(/\/$/, '')}${execPath(o)}`;
  const ws = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
    headers: tls.headers as Record<string, string> | undefined, ca: tls.ca, cert: tls.cert, key: tls.key,
    ...(tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}), perMessageDeflate: false,
  });
  return new Promise<ExecOutcome>((resolve) => {
    let status = '';
    let failure: string | undefined;
    const cleanups: Array<() => void> = [];
    const send = (channel: number, data: Buffer): void => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), data]));
    };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (b: Buffer) => { body += b.toString('utf8'); });
      res.on('end', () => {
        let msg = body;
        try {
          msg = (JSON.parse(body) as { message?: string }).message ?? body;
        } catch {
          // not a Status
        }
        failure = `${res.statusCode ?? ''} ${msg}`.trim();
        resolve({ error: failure });
      });
    });
    ws.on('error', (err) => {
      if (!failure) resolve({ error: err.message });
    });
    ws.on('open', () => {
      const v5 = ws.protocol === 'v5.channel.k8s.io';
      if (o.tty) {
        const resize = (): void => {
          const { cols, rows } = o.tty!.size();
          send(4, Buffer.from(JSON.stringify({ Width: cols, Height: rows })));
        };
        resize();
        cleanups.push(o.tty.onResize(resize));
      }
      if (o.stdin) {
        const onData = (b: Buffer | string): void => send(0, Buffer.isBuffer(b) ? b : Buffer.from(b));
        const onEnd = (): void => {
          if (v5 && ws.readyState === ws.OPEN) ws.send(Buffer.from([255, 0]));
        };
        o.stdin.on('data', onData);
        o.stdin.on('end', onEnd);
        cleanups.push(() => {
          o.stdin?.off('data', onData);
          o.stdin?.off('end', onEnd);
        });
      }
    });
    ws.on('message', (msg: Buffer) => {
      if (msg.length === 0) return;
      const data = msg.subarray(1);
      if (msg[0] === 1) o.stdout(data);
      else if (msg[0] === 2) o.stderr(data);
      else if (msg[0] === 3) status += data.toString('utf8');
    });
    ws.on('close', () => {
      for (const c of cleanups) c();
      if (!failure) resolve(outcomeOf(status));
    });
  });
}
