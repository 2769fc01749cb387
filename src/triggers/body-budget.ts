/**
 * A global budget of request-body bytes in flight for one sink: a request reserves its declared length (or
 * the per-body cap when it is sent chunked) before its body is read and gives it back when its answer is
 * finished. A body over the per-body cap is refused with 413; one that does not fit the remaining budget with
 * 429 and `Retry-After`, its body left unread. Memory held for bodies (and what is parsed from them) is so
 * bounded however many senders there are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Default budget: 64 MiB of bodies in flight (6 events at the default 10 MiB cap). */
export const DEFAULT_MAX_IN_FLIGHT_BODY_BYTES = 64 * 1024 * 1024;

/** Seconds a client told 429 should wait. */
export const RETRY_AFTER_SECONDS = 1;

/** Counts reserved bytes against a limit. */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Reserves `n` bytes; false when they do not fit (a lone request always fits). */
  take(n: number): boolean {
    if (this.used > 0 && this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  /** Bytes reserved now. */
  get inFlight(): number {
    return this.used;
  }
}

type Refusal = (res: ServerResponse, status: 413 | 429, message: string) => void;

/**
 * Reserves each event's body in `budget` (see the module comment): answers true when the request may go on, false
 * when it was refused (413 or 429 through `refuse`).
 */
export function bodyBudget(budget: BodyBudget, maxBodyBytes: number, refuse: Refusal): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && declared > maxBodyBytes) {
      unread(req, res, () => refuse(res, 413, `request body larger than ${maxBodyBytes} bytes`));
      return false;
    }
    const reserve = declared !== undefined && Number.isFinite(declared) ? declared : maxBodyBytes;
    if (!budget.take(reserve)) {
      unread(req, res, () => {
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        refuse(res, 429, `too many event bodies in flight (${budget.limit} bytes); retry after ${RETRY_AFTER_SECONDS} s`);
      });
      return false;
    }
    const release = (): void => budget.release(reserve);
    res.once('close', release); // after the answer is finished, or when the connection went
    return true;
  };
}

/** Answers without reading the body: the connection is closed after the answer, so the body is never buffered. */
function unread(req: IncomingMessage, res: ServerResponse, answer: () => void): void {
  res.setHeader('Connection', 'close');
  answer();
  res.on('finish', () => req.socket.destroySoon?.());
}
