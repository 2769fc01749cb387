/** Errors from the Kubernetes API, classified once by HTTP status and Status reason. */

/** A failed API call: `code` is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: Record<string, unknown> | undefined;

  constructor(code: number, reason: string, message: string, status?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.status = status;
  }

  /** Builds an ApiError from a non-2xx response, using its Status body when there is one. */
  static fromResponse(code: number, body: string, what: string): ApiError {
    // the server's answer: its stack would only show the response handler, and NotFound is routine control flow
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return ApiError.answer(code, body, what);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  private static answer(code: number, body: string, what: string): ApiError {
    try {
      const status = JSON.parse(body) as Record<string, unknown>;
      if (status.kind === 'Status') {
        return new ApiError(code, String(status.reason ?? ''), String(status.message ?? `${what}: HTTP ${code}`), status);
      }
    } catch {
      // not JSON: fall through
    }
    return new ApiError(code, '', `${what}: HTTP ${code}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }

  /** The API server did not answer at all. */
  static unreachable(server: string, cause: unknown): ApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new ApiError(0, 'Unreachable', `cannot reach the API server at ${server}: ${why}`);
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.code === 409 && e.reason === 'AlreadyExists';
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.code === 409 && e.reason !== 'AlreadyExists';
export const isGone = (e: unknown): boolean => e instanceof ApiError && e.code === 410;
export const isUnreachable = (e: unknown): boolean => e instanceof ApiError && e.code === 0;
