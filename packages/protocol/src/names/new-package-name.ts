/**
 * The extra checks `cargo new` / `cargo init` make on the name of the package they are
 * about to create, on top of the manifest rules: keywords, std names, cargo's build
 * directories, Windows devices, non-ASCII and case. Pure: returns what to print, in order.
 */
import {
  isConflictingArtifactName,
  isKeyword,
  isNonAsciiName,
  isStdCrateName,
  isWindowsReserved,
  validatePackageName,
} from "./package-name.js";

export interface NewPackageNameContext {
  /** true when the name came from the directory, not `--name`: then suggest `--name` */
  nameFromDirectory: boolean;
  /** the package will have a binary target (so the binary-name help applies) */
  hasBin: boolean;
  /** Windows device names are an error on Windows and only a warning elsewhere */
  windows?: boolean | undefined;
}

/** A refusal in cargo's shape: the sentence, then `note:` lines, then `help:` lines. */
export interface NewPackageNameError {
  code: string;
  message: string;
  notes: string[];
  helps: string[];
}

export interface NewPackageNameCheck {
  /** full warning texts (cargo embeds its notes and helps in them), in print order */
  warnings: string[];
  /** set when the package must not be created; printed after the warnings */
  error?: NewPackageNameError | undefined;
}

const DIRECTORY_NOTE = "the directory name is used as the package name";
const NAME_HELP = "to override the package name, pass `--name <pkgname>`";

/** rustc's idea of a crate name (it is what `--crate-name` accepts): alphanumerics, `-`, `_`. */
function isRustcCrateName(name: string): boolean {
  return name.length > 0 && /^[\p{Alphabetic}\p{N}_-]+$/u.test(name);
}

function binaryNameHelp(name: string): string {
  return (
    `to name the binary "${name}", use a valid package name, and set the binary name to be different ` +
    `from the package. This can be done by setting the binary filename to \`src/bin/${name}.rs\` or change ` +
    `the name in Cargo.toml with:\n\n    [[bin]]\n    name = "${name}"\n    path = "src/main.rs"\n`
  );
}

/** `note:`/`help:` suffix as cargo glues it onto a warning's text. */
function suffixText(notes: readonly string[], helps: readonly string[]): string {
  return [...notes.map((n) => `\nnote: ${n}`), ...helps.map((h) => `\nhelp: ${h}`)].join("");
}

export function checkNewPackageName(name: string, context: NewPackageNameContext): NewPackageNameCheck {
  const warnings: string[] = [];
  const nameNotes = context.nameFromDirectory ? [DIRECTORY_NOTE] : [];
  const nameHelps = context.nameFromDirectory ? [NAME_HELP] : [];
  // Suggest `[[bin]] name` only where rustc would accept it as a crate name.
  const binHelps = (): string[] =>
    context.hasBin && isRustcCrateName(name) ? [...nameHelps, binaryNameHelp(name)] : [...nameHelps];
  const fail = (code: string, message: string, helps: string[]): NewPackageNameCheck => ({
    warnings,
    error: { code, message, notes: nameNotes, helps },
  });

  const invalid = validatePackageName(name);
  if (invalid) return fail(invalid.code, invalid.message, binHelps());
  if (isKeyword(name)) {
    return fail("NAME_KEYWORD", `invalid package name \`${name}\`: it is a Rust keyword`, binHelps());
  }
  if (isConflictingArtifactName(name)) {
    if (context.hasBin) {
      return fail(
        "NAME_ARTIFACT_DIR",
        `invalid package name \`${name}\`: it conflicts with cargo's build directory names`,
        nameHelps,
      );
    }
    warnings.push(
      `package \`${name}\` will not support binary executables with that name, it conflicts with cargo's build directory names`,
    );
  }
  if (name === "test") {
    return fail(
      "NAME_TEST",
      "invalid package name `test`: it conflicts with Rust's built-in test library",
      binHelps(),
    );
  }
  if (isStdCrateName(name)) {
    warnings.push(
      `package name \`${name}\` may be confused with the package with that name in Rust's standard library\n` +
        `It is recommended to use a different name to avoid problems.${suffixText(nameNotes, binHelps())}`,
    );
  }
  if (isWindowsReserved(name)) {
    if (context.windows) {
      return fail(
        "NAME_WINDOWS_RESERVED",
        `invalid package name \`${name}\`: it is a reserved Windows filename`,
        nameHelps,
      );
    }
    warnings.push(
      `package name \`${name}\` is a reserved Windows filename\nThis package will not work on Windows platforms.`,
    );
  }
  if (isNonAsciiName(name)) {
    warnings.push(
      `invalid package name \`${name}\`: contains non-ASCII characters\nNon-ASCII crate names are not supported by Rust.`,
    );
  }
  const lower = name.toLowerCase();
  if (lower !== name) {
    warnings.push(
      `package name \`${name}\` is not snake_case or kebab-case which is recommended for package names, consider \`${lower}\``,
    );
  }
  return { warnings };
}
