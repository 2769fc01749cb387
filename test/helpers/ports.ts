/** TCP ports on 127.0.0.1 for tests that tell a server (or a child process) which port to take. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Answers whether `port` (0: any) can be listened on right now, and the port it got. */
function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : undefined));
    });
  });
}

/** A port that was free a moment ago, chosen by the kernel (for a server started right away). */
export async function freePort(): Promise<number> {
  const port = await tryListen(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}

/** The kernel's range for automatic ports (bind to port 0, the local port of an outgoing connection). */
function automaticRange(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high) return { low, high };
  } catch {
    // not Linux: the IANA dynamic range
  }
  return { low: 49152, high: 65535 };
}

/**
 * A free port the kernel never hands out by itself, for a test that binds the same port again later (a restart):
 * a port of the automatic range can be taken in between by any outgoing connection of a process running in
 * parallel, and one such connection's TIME_WAIT keeps it from being listened on for a minute, SO_REUSEADDR or not.
 */
export async function stablePort(): Promise<number> {
  const { low, high } = automaticRange();
  const [from, to] = low > 20_000 ? [10_000, low - 1] : [high + 1, 65_535];
  for (let i = 0; i < 200; i++) {
    const port = from + Math.floor(Math.random() * (to - from + 1));
    if ((await tryListen(port)) === port) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${from} and ${to}`);
}
