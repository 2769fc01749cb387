/**
 * HTTP load from ApacheBench (`ab`, apache2-utils, installed by .ci/run): keep-alive POSTs of one body at a fixed
 * concurrency. A load generator written in C costs ~0.03 ms of CPU per request; node's own HTTP client costs about
 * as much as the bare server it measures, and on a 2-core machine that competition, not the server, set both the
 * rate and the latency tail of the bare handler (see docs/performance.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export interface AbSpec { url: string; body: string; headers: Record<string, string>; requests: number; concurrency: number; maxSeconds: number }
export interface AbResult { sent: number; statuses: Record<string, number>; p50: number; p99: number; seconds: number }

/** Whether `ab` can run here. */
export function abAvailable(): boolean {
  return spawnSync('ab', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Runs `ab` once; 2xx responses are counted as "202" (ab tells apart only non-2xx answers and failures). */
export function abLoad(spec: AbSpec): Promise<AbResult> {
  const dir = mkdtempSync(join(os.tmpdir(), 'tkt-ab-'));
  const bodyFile = join(dir, 'body');
  const csv = join(dir, 'percentiles.csv');
  writeFileSync(bodyFile, spec.body);
  const { 'Content-Type': type = 'application/json', ...rest } = spec.headers;
  const args = ['-k', '-q', '-r', '-l', '-c', String(spec.concurrency), '-n', String(spec.requests), '-s', String(spec.maxSeconds),
    '-p', bodyFile, '-T', type, '-e', csv, ...Object.entries(rest).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), new URL(spec.url).href]; // ab wants a path
  return new Promise((resolve, reject) => {
    const child = spawn('ab', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        if (code !== 0) throw new Error(`ab exited ${code}: ${out.trim().split('\n').slice(-3).join(' / ')}`);
        resolve(parseAb(out, readFileSync(csv, 'utf8')));
      } catch (err) { reject(err); } finally { rmSync(dir, { recursive: true, force: true }); }
    });
  });
}

/** ab's summary and its `-e` CSV (percent served within t ms, 0…100) → counts, seconds and p50/p99 (pure). */
export function parseAb(out: string, csv: string): AbResult {
  const num = (label: string): number => Number(new RegExp(`${label}:\\s+([0-9.]+)`).exec(out)?.[1] ?? 0);
  const complete = num('Complete requests');
  const non2xx = num('Non-2xx responses');
  const failed = num('Failed requests'); // connect, receive and exception failures (-l: a varying length is no failure)
  const pcts = new Map<number, number>();
  for (const line of csv.split('\n').slice(1)) {
    const [p, ms] = line.split(',').map(Number);
    if (p !== undefined && ms !== undefined && Number.isFinite(p) && Number.isFinite(ms)) pcts.set(p, ms);
  }
  const statuses: Record<string, number> = { '202': complete - non2xx - failed };
  if (non2xx) statuses['non-2xx'] = non2xx;
  if (failed) statuses.error = failed;
  return { sent: complete, statuses, p50: pcts.get(50) ?? NaN, p99: pcts.get(99) ?? NaN, seconds: num('Time taken for tests') };
}
