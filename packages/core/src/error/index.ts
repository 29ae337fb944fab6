// Errors a user may see. The API maps each kind to one status code; anything else is a logged 500.
export type ErrorKind =
  | "input"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "too-large"
  | "rate-limited"
  | "unavailable";

export class VisibleError extends Error {
  constructor(
    public readonly kind: ErrorKind,
    public readonly code: string,
    message: string,
    /** Shown as the error's `details`, e.g. the current state of what a request conflicted with. */
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = "VisibleError";
  }
}

/** Over a per-user limit: answered 429 with a Retry-After of `retryAfter` seconds. */
export class RateLimited extends VisibleError {
  constructor(
    public readonly action: string,
    public readonly retryAfter: number,
    message: string,
  ) {
    super("rate-limited", "rate.limited", message);
  }
}

export const statusOf: Record<ErrorKind, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503> = {
  input: 400,
  unauthorized: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-large": 413,
  "rate-limited": 429,
  // A dependency the request needs (e.g. the TURN credential service) failed: worth retrying later.
  unavailable: 503,
};
