import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { maybeGunzip, readTar, writeTar } from './tar.js';

describe('tar', () => {
  it('reads back what it writes, gzipped or not', () => {
    const files = [{ name: 'task', data: Buffer.from('kind: Task\n') }, { name: 'dir/big', data: Buffer.alloc(1500, 'x') }];
    const tar = writeTar(files);
    expect(readTar(tar).map((f) => [f.name, f.data.toString()])).toEqual(files.map((f) => [f.name, f.data.toString()]));
    expect(readTar(maybeGunzip(gzipSync(tar))).map((f) => f.name)).toEqual(['task', 'dir/big']);
  });

  it('takes pax path records and GNU long names', () => {
    const long = 'a/'.repeat(60) + 'file';
    const pax = writeTar([{ name: 'PaxHeader', data: Buffer.from(`${long.length + 9 + 3} path=${long}\n`) }, { name: 'short', data: Buffer.from('x') }]);
    pax[156] = 'x'.charCodeAt(0);
    fixChecksum(pax);
    expect(readTar(pax).map((f) => f.name)).toEqual([long]);
  });

  it('rejects data that is not tar, and truncated archives', () => {
    expect(() => readTar(Buffer.alloc(1024, 1))).toThrow(/not a tar/);
    const tar = writeTar([{ name: 'f', data: Buffer.alloc(2000, 'y') }]);
    expect(() => readTar(tar.subarray(0, 1024))).toThrow(/truncated/);
  });
});

function fixChecksum(h: Buffer): void {
  h.write('        ', 148);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
}
