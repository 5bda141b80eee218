/**
 * Crate names as opposed to package names: what rustc sees (`-` becomes `_`), what a
 * registry accepts for publishing (crates.io's rules), and the folded form registries
 * compare to refuse look-alike names (`foo-bar` vs `Foo_Bar`).
 */

/** crates.io's limit, which Wharf's registry keeps so crates can move between the two. */
export const MAX_REGISTRY_CRATE_NAME_LENGTH = 64;

/** The identifier rustc uses for a package's library: `-` is not valid in Rust paths. */
export function toCrateName(packageName: string): string {
  return packageName.replaceAll("-", "_");
}

/**
 * The key under which a registry stores a name: two names with the same key are the same
 * crate for publishing (cargo and crates.io treat `-`/`_` and case as equivalent).
 */
export function canonicalCrateName(name: string): string {
  return name.toLowerCase().replaceAll("-", "_");
}

export interface RegistryNameError {
  code: "CRATE_NAME_EMPTY" | "CRATE_NAME_TOO_LONG" | "CRATE_NAME_INVALID_CHARACTER";
  message: string;
}

/**
 * What a registry accepts for publishing, stricter than cargo's manifest rule: ASCII only
 * (no homoglyph attacks), an alphabetic first character, alphanumerics, `-` and `_`, and
 * at most 64 characters.
 */
export function validateRegistryCrateName(name: string): RegistryNameError | undefined {
  if (name.length === 0) return { code: "CRATE_NAME_EMPTY", message: "crate name cannot be empty" };
  const chars = Array.from(name);
  if (chars.length > MAX_REGISTRY_CRATE_NAME_LENGTH) {
    return {
      code: "CRATE_NAME_TOO_LONG",
      message: `the crate name \`${name}\` is too long (at most ${MAX_REGISTRY_CRATE_NAME_LENGTH} characters)`,
    };
  }
  const first = chars[0]!;
  if (!/^[A-Za-z]$/.test(first)) {
    return {
      code: "CRATE_NAME_INVALID_CHARACTER",
      message: `invalid character \`${first}\` in crate name: \`${name}\`, the first character must be an ASCII letter`,
    };
  }
  for (const ch of chars.slice(1)) {
    if (!/^[A-Za-z0-9_-]$/.test(ch)) {
      return {
        code: "CRATE_NAME_INVALID_CHARACTER",
        message: `invalid character \`${ch}\` in crate name: \`${name}\`, characters must be ASCII letters, digits, \`-\` or \`_\``,
      };
    }
  }
  return undefined;
}

/**
 * Names a registry refuses outright: the standard library's crates (a dependency named
 * `std` would shadow the real one in `extern crate`), `test`, and names Windows cannot
 * create as files (`nul`, `com1`...), compared after case and `-`/`_` folding.
 */
export function isReservedCrateName(name: string): boolean {
  const folded = canonicalCrateName(name);
  return RESERVED.has(folded) || /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/.test(folded);
}

const RESERVED: ReadonlySet<string> = new Set(["std", "core", "alloc", "proc_macro", "test"]);
