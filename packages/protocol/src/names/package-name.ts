/**
 * Cargo's package-name rules (what a `[package] name` may be) and the lists of names
 * cargo treats specially. Messages follow cargo 1.95 word for word so users who search
 * for an error find cargo's documentation too.
 */

/** Why a name was refused; `message` is cargo's sentence, ready to print after `error: `. */
export interface NameError {
  code: "NAME_EMPTY" | "NAME_INVALID_CHARACTER";
  message: string;
}

// V8 implements the Unicode identifier properties that Rust's `unicode-ident` uses, so the
// same characters pass on both sides (modulo the Unicode version each ships).
const XID_START = /^\p{XID_Start}$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;
const ASCII_DIGIT = /^[0-9]$/;

export function isXidStart(ch: string): boolean {
  return XID_START.test(ch);
}

export function isXidContinue(ch: string): boolean {
  return XID_CONTINUE.test(ch);
}

/**
 * The rule shared by package, registry and path-base names: non-empty, first character a
 * Unicode XID start or `_` (a digit gets its own message because it is the common
 * mistake), the rest XID continue or `-`. `what` names the thing in the message.
 */
export function validateName(name: string, what: string): NameError | undefined {
  if (name.length === 0) return { code: "NAME_EMPTY", message: `${what} cannot be empty` };
  const chars = Array.from(name);
  const first = chars[0]!;
  const invalid = (ch: string, reason: string): NameError => ({
    code: "NAME_INVALID_CHARACTER",
    message: `invalid character \`${ch}\` in ${what}: \`${name}\`, ${reason}`,
  });
  if (ASCII_DIGIT.test(first)) return invalid(first, "the name cannot start with a digit");
  if (!(isXidStart(first) || first === "_")) {
    return invalid(first, "the first character must be a Unicode XID start character (most letters or `_`)");
  }
  for (const ch of chars.slice(1)) {
    if (!(isXidContinue(ch) || ch === "-")) {
      return invalid(ch, "characters must be Unicode XID characters (numbers, `-`, `_`, or most letters)");
    }
  }
  return undefined;
}

/**
 * A `[package] name`. Cargo 1.95 already parses `foo::bar` (open namespaces, unstable),
 * checking each `::` part on its own, so we do too and agree with it on which names parse.
 */
export function validatePackageName(name: string): NameError | undefined {
  for (const part of name.split("::")) {
    const error = validateName(part, "package name");
    if (error) return error;
  }
  return undefined;
}

/** A registry name as written in `--registry` or `[registries.<name>]`. */
export function validateRegistryName(name: string): NameError | undefined {
  return validateName(name, "registry name");
}

// https://doc.rust-lang.org/reference/keywords.html: strict, reserved and weak-in-2018
// keywords, the same list cargo keeps.
const KEYWORDS: ReadonlySet<string> = new Set([
  "Self",
  "abstract",
  "as",
  "async",
  "await",
  "become",
  "box",
  "break",
  "const",
  "continue",
  "crate",
  "do",
  "dyn",
  "else",
  "enum",
  "extern",
  "false",
  "final",
  "fn",
  "for",
  "if",
  "impl",
  "in",
  "let",
  "loop",
  "macro",
  "match",
  "mod",
  "move",
  "mut",
  "override",
  "priv",
  "pub",
  "ref",
  "return",
  "self",
  "static",
  "struct",
  "super",
  "trait",
  "true",
  "try",
  "type",
  "typeof",
  "unsafe",
  "unsized",
  "use",
  "virtual",
  "where",
  "while",
  "yield",
]);

/** Device names Windows reserves in every directory, with or without an extension. */
const WINDOWS_RESERVED: ReadonlySet<string> = new Set([
  "con",
  "prn",
  "aux",
  "nul",
  "com1",
  "com2",
  "com3",
  "com4",
  "com5",
  "com6",
  "com7",
  "com8",
  "com9",
  "lpt1",
  "lpt2",
  "lpt3",
  "lpt4",
  "lpt5",
  "lpt6",
  "lpt7",
  "lpt8",
  "lpt9",
]);

/** Directories cargo creates inside target/<profile>/; a binary with one of these names would collide. */
const ARTIFACT_DIR_NAMES: ReadonlySet<string> = new Set(["deps", "examples", "build", "incremental"]);

/** Crates that ship with Rust itself; a package of the same name shadows or confuses them. */
const STD_CRATE_NAMES: ReadonlySet<string> = new Set(["core", "std", "alloc", "proc_macro", "proc-macro"]);

export function isKeyword(name: string): boolean {
  return KEYWORDS.has(name);
}

/** Case-insensitive like Windows itself, ASCII only like cargo. */
export function isWindowsReserved(name: string): boolean {
  return WINDOWS_RESERVED.has(name.replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

export function isConflictingArtifactName(name: string): boolean {
  return ARTIFACT_DIR_NAMES.has(name);
}

export function isStdCrateName(name: string): boolean {
  return STD_CRATE_NAMES.has(name);
}

export function isNonAsciiName(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return /[^\x00-\x7f]/.test(name);
}

/** Any component (before its first `.`) of a `/`- or `\`-separated path that Windows reserves. */
export function isWindowsReservedPath(path: string): boolean {
  return path.split(/[\\/]/).some((component) => isWindowsReserved(component.split(".")[0] ?? ""));
}
