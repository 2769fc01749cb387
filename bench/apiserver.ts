/**
 * Benchmark of the embedded API server (SQLite, WAL, over HTTPS with keep-alive). The clients run in a second
 * process on loopback, so the server's own CPU per request (process.cpuUsage of the server process, which is
 * what an idle core could do) is measured apart from the clients':
 *   1. creates/s of PipelineRuns (sequential, and 16 in flight);
 *   2. watch delivery to 10 watchers: create request sent → the ADDED event received by each watcher.
 * Each phase runs `rounds` times; medians are printed. The machine is named; wall figures on a shared machine
 * are noisy, CPU per create is the robust one.
 * Run: npx tsx bench/apiserver.ts [creates=3000] [latencySamples=500] [rounds=3]
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startApiServer } from '../src/embedded/apiserver/index.js';
import { FileLogStore } from '../src/embedded/logs.js';

const here = fileURLToPath(import.meta.url);
const WATCHERS = 10;
const PRS = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';

interface Target { url: string; token: string; ca: string }
type Command = ({ op: 'creates'; prefix: string; n: number; inFlight: number } | { op: 'latency'; prefix: string; n: number; rv: number }) & Target;
interface Reply { seconds: number; latencies?: number[] }

function pr(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, labels },
    spec: { pipelineRef: { name: 'build' }, params: [{ name: 'url', value: 'https://example.com/repo.git' }, { name: 'rev', value: 'main' }], timeouts: { pipeline: '1h0m0s' } },
  });
}

/** The load process: one agent per target, commands from the parent over IPC. */
const agents = new Map<string, https.Agent>();
const agentFor = (t: Target): https.Agent => {
  let a = agents.get(t.url);
  if (!a) agents.set(t.url, (a = new https.Agent({ keepAlive: true, ca: t.ca, maxSockets: 64 })));
  return a;
};

function post(t: Target, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${t.url}${PRS}`, { method: 'POST', agent: agentFor(t), headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function creates(c: Extract<Command, { op: 'creates' }>): Promise<Reply> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c.inFlight }, async () => {
    while (next < c.n) await post(c, pr(`${c.prefix}-${next++}`));
  }));
  return { seconds: (performance.now() - t0) / 1000 };
}

/** Opens a watch from `rv`; calls `onName` with each ADDED object's name as it arrives. */
function watch(t: Target, rv: number, onName: (name: string) => void): Promise<() => void> {
  const agent = new https.Agent({ keepAlive: false, ca: t.ca });
  return new Promise((resolve, reject) => {
    const req = https.request(`${t.url}${PRS}?watch=true&labelSelector=bench%3Dlat&resourceVersion=${rv}`, { agent, headers: { Authorization: `Bearer ${t.token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const ev = JSON.parse(buf.slice(0, i)) as { type: string; object: { metadata: { name: string } } };
          buf = buf.slice(i + 1);
          if (ev.type === 'ADDED') onName(ev.object.metadata.name);
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

/** Sequential creates with 10 watchers open: per watcher and event, request sent → event received. */
async function latency(c: Extract<Command, { op: 'latency' }>): Promise<Reply> {
  const latencies: number[] = [];
  let pending: { name: string; sent: number; left: number; done: () => void } | undefined;
  const onName = (name: string): void => {
    if (pending?.name !== name) return;
    latencies.push(performance.now() - pending.sent);
    if (--pending.left === 0) pending.done();
  };
  const stops = await Promise.all(Array.from({ length: WATCHERS }, () => watch(c, c.rv, onName)));
  const t0 = performance.now();
  for (let i = 0; i < c.n; i++) {
    const name = `${c.prefix}-${i}`;
    const all = new Promise<void>((r) => (pending = { name, sent: performance.now(), left: WATCHERS, done: r }));
    await post(c, pr(name, { bench: 'lat' }));
    await all;
  }
  for (const s of stops) s();
  return { seconds: (performance.now() - t0) / 1000, latencies };
}

function loadChild(): void {
  process.on('message', (c: Command) => {
    void (c.op === 'creates' ? creates(c) : latency(c)).then((r) => process.send?.(r), (err: unknown) => { console.error(err); process.exit(1); });
  });
}

/** The parent side: one child, commands answered in order. */
function startChild(): { run: (c: Command) => Promise<Reply>; stop: () => void } {
  const child = fork(here, ['--load-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let waiting: ((r: Reply) => void) | undefined;
  child.on('message', (m) => waiting?.(m as Reply));
  return {
    run: (c) => new Promise((resolve) => { waiting = resolve; child.send(c); }),
    stop: () => child.kill(),
  };
}

const median = (xs: number[]): number => pct(xs, 50);
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Runs one command `rounds` times; answers rates and server CPU µs per request (medians), and all latencies. */
async function phase(child: ReturnType<typeof startChild>, rounds: number, make: (round: number) => Command): Promise<{ rate: number; cpuUs: number; latencies: number[]; rates: number[] }> {
  const rates: number[] = [];
  const cpus: number[] = [];
  const latencies: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cmd = make(r);
    const cpu0 = process.cpuUsage();
    const reply = await child.run(cmd);
    const cpu = process.cpuUsage(cpu0);
    rates.push(cmd.n / reply.seconds);
    cpus.push((cpu.user + cpu.system) / cmd.n);
    latencies.push(...(reply.latencies ?? []));
  }
  return { rate: median(rates), cpuUs: median(cpus), latencies, rates };
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 3000);
  const samples = Number(process.argv[3] ?? 500);
  const rounds = Number(process.argv[4] ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-bench-api-'));
  const api = await startApiServer({ dataDir: path.join(dir, 'data'), logs: new FileLogStore(path.join(dir, 'logs')) });
  const target: Target = { url: api.url, token: api.token, ca: api.ca };
  const child = startChild();
  try {
    const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
    console.log(`machine: ${os.hostname()} (${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('store: SQLite WAL synchronous=NORMAL, writes committed before the answer; transport: HTTPS keep-alive; clients in a second process');
    await child.run({ ...target, op: 'creates', prefix: 'warm', n: 500, inFlight: 4 });
    for (const inFlight of [1, 16]) {
      const p = await phase(child, rounds, (r) => ({ ...target, op: 'creates', prefix: `c${inFlight}-${r}`, n, inFlight }));
      console.log(`creates, ${String(inFlight).padStart(2)} in flight: ${p.rate.toFixed(0)}/s median of ${rounds} (${p.rates.map((x) => x.toFixed(0)).join(', ')}); server CPU ${p.cpuUs.toFixed(0)} µs/create (≈${(1e6 / p.cpuUs).toFixed(0)}/s on one idle core)`);
    }
    const l = await phase(child, rounds, (r) => ({ ...target, op: 'latency', prefix: `lat-${r}`, n: samples, rv: api.store.resourceVersion() }));
    console.log(`watch delivery to ${WATCHERS} watchers, ${samples} events x ${rounds}: request sent → event received median ${median(l.latencies).toFixed(2)} ms, p99 ${pct(l.latencies, 99).toFixed(2)} ms, max ${pct(l.latencies, 100).toFixed(2)} ms; server CPU ${l.cpuUs.toFixed(0)} µs/event (create + 10 deliveries)`);
  } finally {
    child.stop();
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--load-child')) loadChild();
else await main();
