import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeServingCert } from './tls.js';

describe('self-signed serving certificate', () => {
  it('encodes serials that start with zero bytes as minimal DER integers', () => {
    for (const serial of [Buffer.alloc(16), Buffer.from([0, 1, ...Array<number>(14).fill(7)]), Buffer.alloc(16, 0xff)]) {
      expect(() => new X509Certificate(makeServingCert(['127.0.0.1'], ['localhost'], serial).cert)).not.toThrow();
    }
  });

  it('is valid X.509 for 127.0.0.1 and localhost, signed by itself (many random serials)', () => {
    for (let i = 0; i < 20; i++) {
      const c = makeServingCert(['127.0.0.1']);
      const x = new X509Certificate(c.cert);
      expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(x.checkHost('localhost')).toBe('localhost');
      expect(x.verify(x.publicKey)).toBe(true);
    }
  });
});
