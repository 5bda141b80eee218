/**
 * Does a value assigned to a secret-looking key look like a real secret, rather than a
 * name, a path, a URL, a template or a placeholder? The heuristic half of the scanner: it
 * must stay quiet on real manifests, so every "no" here is a false positive seen in
 * practice (feature names, env-var names, docs URLs, UUIDs, version strings).
 */
import { shannonEntropy } from "./entropy.js";

/** Shorter values are too often words or ids to call them secrets on entropy alone. */
export const MIN_SECRET_LENGTH = 16;
const MAX_SECRET_LENGTH = 512;

/** Words that mark a value as an example, not a credential someone forgot. */
const PLACEHOLDER =
  /example|dummy|placeholder|changeme|change[-_]me|your[-_]|xxxx|\*\*\*|redacted|sample|fake|test|foobar|insert|replace/i;
/** `${VAR}`, `{{ secret }}`, `%s`, `{}`, `{0}`, `$VAR`, `<token>`, `env:NAME`: filled in elsewhere. */
const TEMPLATE = /\$\{|\$\(|\{\{|%\(|%[sd]|\{\w*\}|^\$[A-Za-z_]|^<.*>$|^env:/i;
/** UUIDs and GUIDs (`{...}`) name things: app ids, WiX upgrade codes, Windows account names. */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const VERSION = /^v?\d+(?:\.\d+)+/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const FILE_NAME = /\.(?:toml|json|ya?ml|pem|key|crt|cer|der|p12|txt|env|gpg|asc)$/i;
/** Words joined by separators, each maybe ending in a few digits: `password-hash`, `GITHUB_TOKEN`, `_PrivateKey`. */
const IDENTIFIER = /^_*(?:[A-Za-z]+[0-9]{0,4}|[0-9]+)(?:[-_.:/](?:[A-Za-z]+[0-9]{0,4}|[0-9]+))*$/;
const HEX = /^[0-9a-f]+$/i;
/** Checksums are published on purpose: `sha256:...`, `sha512-...`. */
const DIGEST_PREFIX = /^(?:sha(?:1|224|256|384|512)|md5|blake[23]b?)[:-]/i;
/** `Bearer abc...`: judge the credential, not the scheme word in front of it. */
const AUTH_SCHEME = /^(?:bearer|basic|token)\s+/i;

export function stripAuthScheme(value: string): string {
  return value.replace(AUTH_SCHEME, "");
}

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || TEMPLATE.test(value);
}

function characterClasses(value: string): number {
  return (
    Number(/[a-z]/.test(value)) +
    Number(/[A-Z]/.test(value)) +
    Number(/[0-9]/.test(value)) +
    Number(/[^A-Za-z0-9]/.test(value))
  );
}

/**
 * The entropy a random string of this alphabet and length would clear with room to spare:
 * hex carries at most 4 bits a character, and short strings cannot reach log2(length).
 */
function entropyThreshold(value: string): number {
  const base = HEX.test(value) ? 3.0 : 3.5;
  return Math.min(base, Math.log2(value.length) - 0.7);
}

export function looksLikeSecretValue(raw: string): boolean {
  const value = stripAuthScheme(raw.trim());
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) return false;
  // Prose or translated text, not a credential: tokens and keys are printable ASCII.
  if (/[^\x21-\x7e]/.test(value)) return false;
  if (value.includes("://") || /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value)) return false; // URL or path
  if (isPlaceholder(value)) return false;
  if (UUID.test(value) || VERSION.test(value) || EMAIL.test(value)) return false;
  if (FILE_NAME.test(value) || DIGEST_PREFIX.test(value) || IDENTIFIER.test(value)) return false;
  // Letters only: a long camel-case name unless it is long and random enough to be a key.
  if (/^[A-Za-z]+$/.test(value) && (value.length < 24 || shannonEntropy(value) < 4)) return false;
  if (characterClasses(value) < 2) return false;
  return shannonEntropy(value) >= entropyThreshold(value);
}

/** An AWS secret access key: 40 base64 characters, and random-looking. */
export function looksLikeAwsSecretKey(value: string): boolean {
  return (
    /^[A-Za-z0-9/+]{40}$/.test(value) &&
    !isPlaceholder(value) &&
    characterClasses(value) >= 2 &&
    shannonEntropy(value) >= 4
  );
}
