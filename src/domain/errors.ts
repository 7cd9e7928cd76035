/**
 * Typed errors: a stable code (`BK_<MODULE>_<WHAT>`), a Chinese message for
 * staff, an HTTP status and optional details. Every code is listed in
 * docs/errors.md; a test keeps the two in sync.
 */
export class BinkuError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  /** English message for API clients and logs (optional). */
  readonly messageEn: string | undefined;

  constructor(code: string, message: string, opts: { status?: number; details?: unknown; en?: string } = {}) {
    super(message);
    this.name = 'BinkuError';
    this.code = code;
    this.status = opts.status ?? 400;
    this.details = opts.details;
    this.messageEn = opts.en;
  }
}

export function isBinkuError(e: unknown): e is BinkuError {
  return e instanceof BinkuError;
}
