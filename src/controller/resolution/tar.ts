/**
 * Minimal tar (ustar/pax/GNU long names) reading for Tekton bundle layers, and writing for making bundles
 * (tests, tooling). Only regular files are returned; everything else is skipped.
 */
import { gunzipSync } from 'node:zlib';

/** A regular file of a tar archive. */
export interface TarFile {
  name: string;
  data: Buffer;
  /** Permission bits when writing (default 0644). */
  mode?: number;
}

const BLOCK = 512;

function cString(buf: Buffer, start: number, len: number): string {
  const raw = buf.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(buf: Buffer, start: number, len: number): number {
  const text = cString(buf, start, len).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function paxPath(data: Buffer): string | undefined {
  for (const rec of data.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(rec);
    if (m) return m[1];
  }
  return undefined;
}

/** The layer bytes, gunzipped when they are gzip. */
export function maybeGunzip(buf: Buffer): Buffer {
  return buf.length > 2 && buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
}

/** The regular files of a tar archive, in order. Throws on a truncated or corrupt archive. */
export function readTar(archive: Buffer): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    if (cString(header, 257, 6) !== 'ustar' && !cString(header, 257, 8).startsWith('ustar')) throw new Error('not a tar archive');
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw new Error('truncated tar archive');
    const data = archive.subarray(dataStart, dataStart + size);
    const prefix = cString(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100));
    longName = undefined;
    if (type === 'x') longName = paxPath(data);
    else if (type === 'L') longName = cString(data, 0, data.length);
    else if (type === '0' || type === '\0') files.push({ name: name.replace(/^\.\//, ''), data: Buffer.from(data) });
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

function header(name: string, size: number, mode: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A ustar archive of the given files (names up to 100 bytes). */
export function writeTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    if (Buffer.byteLength(f.name) > 100) throw new Error(`tar name too long: ${f.name}`);
    parts.push(header(f.name, f.data.length, f.mode ?? 0o644), f.data, Buffer.alloc((BLOCK - (f.data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
