/**
 * Running one engine container with one CLI process, and the image ids the engine runtimes report.
 */
import { readFileSync, rmSync } from 'node:fs';
import { runCapture, spawnMerged } from './proc.js';

/** An attached `<engine> run`, once its container exists (or the run ended without one). */
export interface AttachedRun {
  /** The container's id, when it was created. */
  id?: string;
  /** What the engine printed before the container existed (its errors and warnings), as text. */
  preface: string;
  /** The run's exit code (the container's, or 125+ for the engine's own failures), once output is delivered. */
  exited: Promise<number>;
}

/** How often the cid file is looked at while the engine creates the container. */
const CID_POLL_MS = 5;

function readCid(file: string): string | undefined {
  try {
    const id = readFileSync(file, 'utf8').trim();
    return id.length >= 12 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `argv` (an attached `<engine> run --cidfile <cidFile> …`) and resolves once the container was created
 * (its id is in `cidFile`) or the run ended first. Output that arrives before the cid file exists is the engine's
 * own (the container starts after the file is written): it is kept as the preface, not delivered; everything
 * after goes to `onOutput` as bytes.
 */
export async function runAttached(argv: string[], env: NodeJS.ProcessEnv, cidFile: string, onOutput: (chunk: string | Uint8Array) => void): Promise<AttachedRun> {
  rmSync(cidFile, { force: true });
  let id: string | undefined;
  let preface = '';
  let ended = false;
  const child = spawnMerged(argv, {
    env,
    onOutput: (chunk) => {
      id ??= readCid(cidFile);
      if (id) onOutput(chunk);
      else preface += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    },
  });
  const exited = child.exited.then((code) => {
    ended = true;
    return code;
  });
  while (!id && !ended) {
    await new Promise((r) => setTimeout(r, CID_POLL_MS));
    id ??= readCid(cidFile);
  }
  id ??= readCid(cidFile);
  return { ...(id ? { id } : {}), get preface() { return preface; }, exited };
}

/**
 * Starts `argv` (a detached `<engine> run -d …`, which prints the container's id), then follows the container's
 * output with `<engine> logs -f` (which replays it from the start) and takes its exit code from `<engine> wait`
 * (125 when that fails: the caller then asks the container's state).
 */
export async function runDetached(argv: string[], env: NodeJS.ProcessEnv, cmd: (...args: string[]) => string[], onOutput: (chunk: string | Uint8Array) => void): Promise<AttachedRun> {
  const created = await runCapture(argv, { env });
  const id = created.code === 0 ? created.stdout.trim().split('\n').pop() : undefined;
  if (!id) return { preface: created.stderr || created.stdout, exited: Promise.resolve(created.code) };
  const follow = spawnMerged(cmd('logs', '-f', id), { env: process.env, onOutput });
  const exited = follow.exited.then(async () => {
    const w = await runCapture(cmd('wait', id));
    const code = Number(w.stdout.trim().split('\n').pop());
    return w.code === 0 && Number.isInteger(code) ? code : 125;
  });
  return { id, preface: created.stderr, exited };
}

/** How long an image found present is taken as present without asking the engine again. */
const PRESENT_TTL_MS = 10_000;

/**
 * Image ids by reference, from `<engine> image inspect`: one check answers the containers of a pod that share an
 * image (they start together), and gives the id the container status reports.
 */
export class ImageIds {
  private readonly known = new Map<string, { id: Promise<string | undefined>; at: number }>();

  constructor(private readonly cmd: (...args: string[]) => string[]) {}

  private lookup(image: string): Promise<string | undefined> {
    const hit = this.known.get(image);
    if (hit && performance.now() - hit.at < PRESENT_TTL_MS) return hit.id;
    const id = runCapture(this.cmd('image', 'inspect', '--format', '{{.Id}}', image)).then((r) => (r.code === 0 ? r.stdout.trim() || undefined : undefined));
    this.known.set(image, { id, at: performance.now() });
    void id.then((v) => { if (v === undefined) this.known.delete(image); });
    return id;
  }

  /** True when the engine has the image. */
  async present(image: string): Promise<boolean> {
    return (await this.lookup(image)) !== undefined;
  }

  /** The image's id ('' when the engine does not have it). */
  async id(image: string): Promise<string> {
    return (await this.lookup(image)) ?? '';
  }

  /** Forgets what is known of an image (after a pull). */
  forget(image: string): void {
    this.known.delete(image);
  }
}
