/**
 * A self-signed serving certificate (ECDSA P-256) made in-process: kubectl sends bearer tokens only over
 * TLS, so the server speaks HTTPS and the kubeconfig carries the certificate as its CA. The X.509 DER is built
 * here with a minimal ASN.1 encoder and signed with node:crypto; no external tool is needed.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** PEM certificate and private key. */
export interface ServingCert {
  cert: string;
  key: string;
}

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

function name(cn: string): Buffer {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn, 'utf8')))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

function extensions(hosts: string[], ips: string[]): Buffer {
  const san = seq(
    ...hosts.map((h) => tlv(0x82, Buffer.from(h, 'ascii'))),
    ...ips.map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  );
  return tlv(0xa3, seq(
    extension('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff])))), // basicConstraints CA:true
    extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x02, 0x84]))), // keyUsage digitalSignature, keyCertSign
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage serverAuth
    extension('2.5.29.17', false, san),
  ));
}

function tbs(publicKey: KeyObject, now: Date, hosts: string[], ips: string[], serialBytes: Buffer): Buffer {
  const serial = Buffer.from(serialBytes);
  serial[0] = ((serial[0] as number) & 0x7f) | 0x40; // positive, no leading zero (DER minimal INTEGER)
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  return seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    ecdsaSha256,
    name('tektite'),
    seq(utcTime(new Date(now.getTime() - 3600 * 1000)), utcTime(notAfter)),
    name('tektite'),
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions(hosts, ips),
  );
}

/** Makes a self-signed certificate for localhost and the given IPv4 addresses (`serial`: 16 random bytes by default). */
export function makeServingCert(ips: string[] = ['127.0.0.1'], hosts: string[] = ['localhost'], serial: Buffer = randomBytes(16)): ServingCert {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const toSign = tbs(createPublicKey(privateKey), new Date(), hosts, ips, serial);
  const signature = sign('sha256', toSign, { key: privateKey, dsaEncoding: 'der' });
  const der = seq(toSign, seq(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.from([0]), signature));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function usable(c: ServingCert, ips: string[]): boolean {
  try {
    const x = new X509Certificate(c.cert);
    return Date.parse(x.validTo) > Date.now() + 24 * 3600 * 1000 && ips.every((ip) => x.checkIP(ip) !== undefined);
  } catch {
    return false;
  }
}

/** Loads the certificate kept under `dir` (making and saving one when missing or stale); memory-only without `dir`. */
export function servingCert(dir: string | undefined, ips: string[]): ServingCert {
  if (!dir) return makeServingCert(ips);
  const certFile = path.join(dir, 'apiserver.crt');
  const keyFile = path.join(dir, 'apiserver.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const existing = { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
    if (usable(existing, ips)) return existing;
  }
  const fresh = makeServingCert(ips);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, fresh.key, { mode: 0o600 });
  fs.writeFileSync(certFile, fresh.cert, { mode: 0o600 });
  return fresh;
}
