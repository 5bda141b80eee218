/**
 * Secret redaction for everything Wharf prints: error messages, logs, command output.
 * The patterns are the "live credential" shapes; the wider manifest secret scanner lives
 * in security/secrets.ts and reuses these.
 */

export const REDACTED = "<redacted>";

/** Token shapes that must never be printed, whatever their context. */
export const CREDENTIAL_PATTERNS: readonly RegExp[] = [
  /\bwharf_[A-Za-z0-9]{32,}\b/g,
  /\bcio[A-Za-z0-9]{32}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
];

/** `scheme://user:password@host` keeps the user and hides the password. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+):([^\s/@]+)@/gi;
/** `Authorization: <token>` and `token = "..."`-style assignments. */
const AUTH_HEADER =
  /\b(authorization|proxy-authorization)(\s*[:=]\s*)(?:(bearer|basic|token)\s+)?([^\s"',;]+)/gi;

export function redactSecrets(text: string): string {
  let out = text.replace(
    URL_CREDENTIALS,
    (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`,
  );
  out = out.replace(AUTH_HEADER, (_m, name: string, sep: string, scheme: string | undefined) =>
    scheme ? `${name}${sep}${scheme} ${REDACTED}` : `${name}${sep}${REDACTED}`,
  );
  for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}
