/**
 * WAL checkpoints off the event loop. The writing connection runs with `wal_autocheckpoint = 0`; a worker thread
 * with its own connection runs PASSIVE checkpoints (fsync the WAL, copy its pages into the database file, fsync
 * that), so the API server does not block on the disk for them. Commit durability is unchanged: with
 * synchronous=NORMAL a commit is durable against a crash of the process once its WAL frames are written, and
 * checkpoints only move committed pages. The worker starts on first need. If it cannot run, the writer goes back
 * to SQLite's automatic checkpoints. The WAL restarts from its beginning only after a checkpoint that no write
 * overlapped; under steady writes the worker's never is one, so once the WAL is past a bound the writer copies
 * the remainder itself (the frames written since the worker's checkpoint began: a short pause, then the next
 * write restarts the WAL).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    Atomics.store(workerData.closed, 0, 1);
    Atomics.notify(workerData.closed, 0);
    parentPort.close();
    return;
  }
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ ok: true, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String((err && err.message) || err) });
  }
});
`;

/** What the checkpointer asks of the writing connection. */
export interface CheckpointHost {
  /** Turns SQLite's automatic checkpoints back on (the worker failed). */
  fallback(): void;
  /** Runs a PASSIVE checkpoint on the writing connection (the WAL grew past its bound). */
  checkpointHere(): void;
}

interface Reply {
  ok: boolean;
  log?: number;
  checkpointed?: number;
}

/** Triggers WAL checkpoints in a worker thread every `every` written rows, and once more when writes stop. */
export class Checkpointer {
  private worker?: Worker;
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private inFlight = false;
  private pending = 0;
  private failed = false;
  private stopped = false;
  private idle?: NodeJS.Timeout;

  /** `maxWalFrames`: past this many WAL frames (4 KiB each) the writer completes a checkpoint itself. */
  constructor(private readonly file: string, private readonly host: CheckpointHost, private readonly every = 512, private readonly maxWalFrames = 8192) {}

  /** Counts a committed transaction of `rows` written rows. */
  committed(rows: number): void {
    if (this.failed || this.stopped) return;
    this.pending += rows;
    if (this.pending >= this.every && !this.inFlight) this.request();
  }

  private request(): void {
    clearTimeout(this.idle);
    this.pending = 0;
    this.inFlight = true;
    try {
      this.worker ??= this.start();
      this.worker.postMessage('checkpoint');
    } catch {
      this.fail();
    }
  }

  private start(): Worker {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, file: this.file, closed: this.closed } });
    w.unref();
    w.on('message', (m: Reply) => this.onReply(m));
    w.on('error', () => this.fail());
    return w;
  }

  private onReply(m: Reply): void {
    this.inFlight = false;
    if (this.stopped) return;
    if (!m.ok) {
      this.fail();
      return;
    }
    if ((m.log ?? 0) > this.maxWalFrames) this.host.checkpointHere();
    if (this.pending >= this.every) this.request();
    else if (this.pending > 0) {
      // writes overlapped this checkpoint: once they stop, one more lets the next write restart the WAL
      this.idle = setTimeout(() => { if (!this.inFlight && !this.stopped) this.request(); }, 1000);
      this.idle.unref();
    }
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.inFlight = false;
    if (!this.stopped) this.host.fallback();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  /** Closes the worker's connection (waits up to 2 s for a running checkpoint), so the writer's close can remove the WAL. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.idle);
    const w = this.worker;
    this.worker = undefined;
    if (!w || this.failed) return;
    w.postMessage('close');
    Atomics.wait(this.closed, 0, 0, 2000);
    void w.terminate();
  }
}
