/**
 * Secret redaction for everything Wharf prints: error messages, logs, command output.
 * CREDENTIAL_SHAPES is the one table of "live credential" shapes: redactSecrets hides them
 * and the secret scanner (security/secrets.ts) reports them, so a new token shape is added
 * here and nowhere else. The table lives in errors/ because errors may import nothing
 * outside its folder, while security may import errors.
 */

export const REDACTED = "<redacted>";

/** One credential shape: recognisable by its text alone, whatever key it sits under. */
export interface CredentialShape {
  /** stable rule id, reported by the scanner and used as a diagnostic code */
  readonly id: string;
  /** what it is, for messages: "possible <label>" */
  readonly label: string;
  /** global regex over the whole text; matchAll/replace clone or reset it, so sharing is safe */
  readonly pattern: RegExp;
  /**
   * How many leading characters a finding may show: the non-secret prefix of the format
   * (`ghp_`, `AKIA`), so a report says which kind of token it is and nothing more.
   */
  readonly reveal: number;
}

/** Private-key armour, RSA/EC/DSA/OPENSSH/ENCRYPTED/PGP alike; the block runs to its END line. */
const PRIVATE_KEY_LABEL = "-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----";
const PRIVATE_KEY_END = "-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----";

/** Token shapes that must never be printed, whatever their context. */
export const CREDENTIAL_SHAPES: readonly CredentialShape[] = [
  {
    id: "private-key",
    label: "private key block",
    // Up to the END line, or to the end of the text when it was cut off (better to hide a
    // little too much than to print half a key), but never past the next BEGIN: a bare
    // marker string must not swallow a real key further down.
    pattern: new RegExp(
      `${PRIVATE_KEY_LABEL}(?:(?!-----BEGIN)[\\s\\S])*?(?:${PRIVATE_KEY_END}|$|(?=-----BEGIN))`,
      "g",
    ),
    reveal: 10,
  },
  { id: "wharf-token", label: "Wharf registry token", pattern: /\bwharf_[A-Za-z0-9]{32,}\b/g, reveal: 6 },
  { id: "crates-io-token", label: "crates.io API token", pattern: /\bcio[A-Za-z0-9]{32}\b/g, reveal: 3 },
  { id: "github-token", label: "GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, reveal: 4 },
  {
    id: "github-token",
    label: "GitHub fine-grained token",
    pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/g,
    reveal: 11,
  },
  { id: "gitlab-token", label: "GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, reveal: 6 },
  {
    id: "aws-access-key-id",
    label: "AWS access key ID",
    pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
    reveal: 4,
  },
  {
    id: "slack-token",
    label: "Slack token",
    // Slack tokens are numeric workspace/user ids then a random tail: xoxb-123-456-AbC...
    pattern: /\bxox[abpr]-(?:[0-9]+-)+[A-Za-z0-9]{8,}\b/g,
    reveal: 5,
  },
];

/** The bare regexes of CREDENTIAL_SHAPES, for callers that only need to match. */
export const CREDENTIAL_PATTERNS: readonly RegExp[] = CREDENTIAL_SHAPES.map((shape) => shape.pattern);

/**
 * `scheme://user:password@host`: groups are scheme (with `://`), user, password.
 * Shared with the scanner's url-credentials rule.
 */
export const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+):([^\s/@]+)@/gi;
/** `Authorization: <token>` and `authorization = "..."`-style assignments. */
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
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape.pattern, REDACTED);
  return out;
}
