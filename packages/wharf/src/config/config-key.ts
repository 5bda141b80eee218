/**
 * Dotted configuration keys (`build.jobs`, `target.x86_64-unknown-linux-gnu.runner`) and
 * the environment variable names cargo derives from them.
 */

export type ConfigKey = readonly string[];

/** `build.target-dir` -> ["build", "target-dir"]; cargo splits on every dot. */
export function parseConfigKey(key: string): ConfigKey {
  return key === "" ? [] : key.split(".");
}

/**
 * cargo's `ConfigKey::push`: each part is uppercased with `-` turned into `_`, and the
 * parts are joined with `_` under a `CARGO` prefix. A dot inside one part (a target
 * triple such as `thumbv8m.base-none-eabi`) is kept, exactly as cargo does, so such
 * keys cannot be set from the environment.
 */
export function envKeyFor(key: ConfigKey): string {
  return ["CARGO", ...key.map((part) => part.replaceAll("-", "_").toUpperCase())].join("_");
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/**
 * Display form, quoting parts that are not bare TOML keys (cargo's `escape_key_part`,
 * which uses the toml crate's choice of a literal string when that needs no escapes).
 */
export function displayConfigKey(key: ConfigKey): string {
  return key.map(quoteKeyPart).join(".");
}

function quoteKeyPart(part: string): string {
  if (BARE_KEY.test(part)) return part;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters force escapes
  const needsEscapes = /[\u0000-\u001f\u007f]/.test(part);
  if (!needsEscapes && !part.includes("'") && (part.includes('"') || part.includes("\\"))) return `'${part}'`;
  return JSON.stringify(part);
}

/** cargo's `ConfigKey::matches`: `*` matches one whole part. */
export function configKeyMatches(key: ConfigKey, pattern: string): boolean {
  const pat = pattern.split(".");
  return pat.length === key.length && pat.every((p, i) => p === "*" || p === key[i]);
}
