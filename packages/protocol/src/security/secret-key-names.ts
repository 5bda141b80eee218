/**
 * Does an assignment's key name suggest its value is a secret? Works on words, not
 * substrings, so `authors`, `tokenizer` or `keywords` do not look like `auth` or `token`.
 */

/** Single words that name a secret on their own. */
const SECRET_WORDS = new Set([
  "token",
  "tokens",
  "password",
  "passwords",
  "passwd",
  "pwd",
  "passphrase",
  "secret",
  "secrets",
  "credential",
  "credentials",
  "creds",
  "auth",
  "authorization",
  "apikey",
  "apitoken",
  "accesskey",
  "accesstoken",
  "authtoken",
  "secretkey",
  "privatekey",
]);

/** Two-word names where neither word alone is enough (`key`, `private` are everywhere). */
const SECRET_PAIRS = new Set([
  "api key",
  "private key",
  "access key",
  "secret key",
  "signing key",
  "encryption key",
  "master key",
  "auth key",
]);

/**
 * Keys that are *about* a secret rather than holding it: `token-file = "~/.token"`,
 * `password_env = "DB_PASSWORD"`, `auth-type = "bearer"`. Matched on the last word.
 */
const ABOUT_A_SECRET = new Set([
  "name",
  "names",
  "file",
  "files",
  "path",
  "paths",
  "dir",
  "url",
  "uri",
  "endpoint",
  "host",
  "env",
  "var",
  "variable",
  "type",
  "kind",
  "id",
  "length",
  "len",
  "size",
  "count",
  "hash",
  "header",
  "field",
  "prefix",
  "suffix",
  "format",
  "pattern",
  "regex",
  "mode",
  "ttl",
  "expiry",
  "expires",
  "scope",
  "scopes",
  "version",
  "command",
  "cmd",
  "provider",
  "providers",
  "helper",
  "method",
  "style",
  "policy",
  "required",
  "enabled",
]);

/** `aws.secretAccessKey`, `API_KEY`, `"private-key"` -> ["aws", "secret", "access", "key"] ... */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

export function isSecretKeyName(key: string): boolean {
  const words = keyWords(key);
  const last = words.at(-1);
  if (last === undefined || ABOUT_A_SECRET.has(last)) return false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (SECRET_WORDS.has(word)) return true;
    if (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)) return true;
  }
  // Run-together names such as GITHUBTOKEN or dbpassword.
  const joined = words.join("");
  return /(?:token|password|passwd|secret|apikey|credentials?)s?$/.test(joined) && joined.length <= 40;
}

/** `aws_key`, `[package.metadata.aws] secret = ...`: names that put a value in AWS's hands. */
export function isAwsKeyName(key: string, table: readonly string[] = []): boolean {
  const words = keyWords(key);
  if (ABOUT_A_SECRET.has(words.at(-1) ?? "")) return false;
  const aws = words.includes("aws") || table.some((part) => keyWords(part).includes("aws"));
  if (!aws) return false;
  return isSecretKeyName(key) || words.includes("key") || words.at(-1) === "aws";
}
