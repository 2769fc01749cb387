/**
 * Benchmark of the embedded API server (SQLite, WAL, over HTTPS with keep-alive; clients in the same process):
 *   1. creates/s of PipelineRuns (sequential, and 16 in flight);
 *   2. watch delivery latency to 10 watchers (commit → each watcher has the event, and request sent → event).
 * Run: npx tsx bench/apiserver.ts [creates=3000] [latencySamples=500]
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type ApiServer } from '../src/embedded/apiserver/index.js';
import { FileLogStore } from '../src/embedded/logs.js';

const CREATES = Number(process.argv[2] ?? 3000);
const SAMPLES = Number(process.argv[3] ?? 500);
const WATCHERS = 10;
const PRS = '/apis/tekton.dev/v1/namespaces/default/pipelineruns';

function pr(name: string, labels: Record<string, string> = {}): string {
  return JSON.stringify({
    apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, labels },
    spec: { pipelineRef: { name: 'build' }, params: [{ name: 'url', value: 'https://example.com/repo.git' }, { name: 'rev', value: 'main' }], timeouts: { pipeline: '1h0m0s' } },
  });
}

function post(api: ApiServer, agent: https.Agent, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${api.url}${PRS}`, { method: 'POST', agent, headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function createRate(api: ApiServer, agent: https.Agent, prefix: string, n: number, inFlight: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next < n) await post(api, agent, pr(`${prefix}-${next++}`));
  }));
  return n / ((performance.now() - t0) / 1000);
}

/** Opens a watch and calls `onName` with each ADDED object's name as it arrives. */
function watch(api: ApiServer, agent: https.Agent, onName: (name: string) => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${api.url}${PRS}?watch=true&labelSelector=bench%3Dlat&resourceVersion=${api.store.resourceVersion()}`, { agent, headers: { Authorization: `Bearer ${api.token}` } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
          if (ev.type === 'ADDED') onName(ev.object.metadata.name);
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)));
    req.end();
  });
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function latency(api: ApiServer, agent: https.Agent): Promise<{ commit: number[]; request: number[] }> {
  const sent = new Map<string, number>();
  const committed = new Map<string, number>();
  api.store.subscribe((ev) => { if (ev.type === 'ADDED') committed.set(ev.name, performance.now()); });
  const commit: number[] = [];
  const request: number[] = [];
  let pending: { name: string; left: number; done: () => void } | undefined;
  const onName = (name: string): void => {
    const now = performance.now();
    commit.push(now - (committed.get(name) ?? now));
    request.push(now - (sent.get(name) ?? now));
    if (pending?.name === name && --pending.left === 0) pending.done();
  };
  const watchAgent = new https.Agent({ keepAlive: true, ca: api.ca, maxSockets: WATCHERS });
  const stops = await Promise.all(Array.from({ length: WATCHERS }, () => watch(api, watchAgent, onName)));
  for (let i = 0; i < SAMPLES; i++) {
    const name = `lat-${i}`;
    const all = new Promise<void>((r) => (pending = { name, left: WATCHERS, done: r }));
    sent.set(name, performance.now());
    await post(api, agent, pr(name, { bench: 'lat' }));
    await all;
  }
  for (const s of stops) s();
  return { commit, request };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tektite-bench-api-'));
  const api = await startApiServer({ dataDir: path.join(dir, 'data'), logs: new FileLogStore(path.join(dir, 'logs')) });
  const agent = new https.Agent({ keepAlive: true, ca: api.ca, maxSockets: 32 });
  try {
    const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
    console.log(`machine: ${os.hostname()} (${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB), node ${process.version}`);
    console.log('store: SQLite WAL synchronous=NORMAL, one transaction per write; transport: HTTPS keep-alive, clients in-process');
    await createRate(api, agent, 'warm', 200, 4);
    const seq = await createRate(api, agent, 'seq', CREATES, 1);
    const par = await createRate(api, agent, 'par', CREATES, 16);
    console.log(`creates/s: ${seq.toFixed(0)} sequential, ${par.toFixed(0)} with 16 in flight (${CREATES} PipelineRuns each)`);
    const { commit, request } = await latency(api, agent);
    const ms = (x: number): string => `${x.toFixed(2)} ms`;
    console.log(`watch delivery to ${WATCHERS} watchers, ${SAMPLES} events: commit→received median ${ms(pct(commit, 50))}, p99 ${ms(pct(commit, 99))}; request sent→received median ${ms(pct(request, 50))}, p99 ${ms(pct(request, 99))}`);
  } finally {
    agent.destroy();
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
