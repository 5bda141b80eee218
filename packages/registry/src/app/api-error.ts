/**
 * Errors the registry answers with: an HTTP status and cargo's error JSON
 * (`{"errors":[{"detail":"..."}]}`), which cargo prints to the user verbatim.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** seconds, for 429 answers */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, detail: string, retryAfter?: number) {
    super(detail);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function errorBody(detail: string): { errors: { detail: string }[] } {
  return { errors: [{ detail }] };
}
