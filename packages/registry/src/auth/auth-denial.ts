/**
 * A refused request as a value: the HTTP status the handler must answer with, a stable
 * code and a message safe to show the client (it never contains the token).
 */
import { WharfError } from "@wharf/protocol";

export type AuthDenialCode =
  | "AUTH_TOKEN_MISSING"
  | "AUTH_TOKEN_INVALID"
  | "AUTH_TOKEN_EXPIRED"
  | "AUTH_TOKEN_REVOKED"
  | "AUTH_SCOPE_MISSING"
  | "AUTH_CRATE_PATTERN_MISMATCH"
  | "AUTH_NOT_OWNER"
  | "AUTH_CRATE_NOT_FOUND"
  | "AUTH_RATE_LIMITED";

export interface AuthDenial {
  readonly ok: false;
  readonly status: 401 | 403 | 404 | 429;
  readonly code: AuthDenialCode;
  readonly message: string;
  readonly hint?: string | undefined;
  /** only for 429 */
  readonly retryAfterSeconds?: number | undefined;
}

export function deny(
  status: AuthDenial["status"],
  code: AuthDenialCode,
  message: string,
  hint?: string,
): AuthDenial {
  return { ok: false, status, code, message, hint };
}

export function denialToError(denial: AuthDenial): WharfError {
  return new WharfError({ code: denial.code, message: denial.message, hint: denial.hint });
}
