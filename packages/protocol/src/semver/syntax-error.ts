/**
 * The reasons the semver crate gives when it rejects a version or requirement, worded exactly
 * as its `Display` impl words them so Wharf's errors read like cargo's `Caused by:` lines.
 */

/** Which part of a version the parser was in when it failed (the crate's `Position`). */
export type SyntaxPosition = "major" | "minor" | "patch" | "pre" | "build";

const POSITION_NAMES: Readonly<Record<SyntaxPosition, string>> = {
  major: "major version number",
  minor: "minor version number",
  patch: "patch version number",
  pre: "pre-release identifier",
  build: "build metadata",
};

export type SyntaxErrorKind =
  | { kind: "empty" }
  | { kind: "unexpectedEnd"; pos: SyntaxPosition }
  | { kind: "unexpectedChar"; pos: SyntaxPosition; ch: string }
  | { kind: "unexpectedCharAfter"; pos: SyntaxPosition; ch: string }
  | { kind: "expectedCommaFound"; pos: SyntaxPosition; ch: string }
  | { kind: "leadingZero"; pos: SyntaxPosition }
  | { kind: "overflow"; pos: SyntaxPosition }
  | { kind: "emptySegment"; pos: SyntaxPosition }
  | { kind: "wildcardNotTheOnlyComparator"; ch: string }
  | { kind: "unexpectedAfterWildcard" }
  | { kind: "excessiveComparators" };

/**
 * Thrown inside the parsers and caught at the public entry points, which turn it into a
 * WharfError; it never escapes this folder.
 */
export class SemverSyntaxError extends Error {
  readonly detail: SyntaxErrorKind;
  constructor(detail: SyntaxErrorKind) {
    super(describeSyntaxError(detail));
    this.name = "SemverSyntaxError";
    this.detail = detail;
  }
}

export function describeSyntaxError(detail: SyntaxErrorKind): string {
  switch (detail.kind) {
    case "empty":
      return "empty string, expected a semver version";
    case "unexpectedEnd":
      return `unexpected end of input while parsing ${POSITION_NAMES[detail.pos]}`;
    case "unexpectedChar":
      return `unexpected character ${quoteChar(detail.ch)} while parsing ${POSITION_NAMES[detail.pos]}`;
    case "unexpectedCharAfter":
      return `unexpected character ${quoteChar(detail.ch)} after ${POSITION_NAMES[detail.pos]}`;
    case "expectedCommaFound":
      return `expected comma after ${POSITION_NAMES[detail.pos]}, found ${quoteChar(detail.ch)}`;
    case "leadingZero":
      return `invalid leading zero in ${POSITION_NAMES[detail.pos]}`;
    case "overflow":
      return `value of ${POSITION_NAMES[detail.pos]} exceeds u64::MAX`;
    case "emptySegment":
      return `empty identifier segment in ${POSITION_NAMES[detail.pos]}`;
    case "wildcardNotTheOnlyComparator":
      return `wildcard req (${detail.ch}) must be the only comparator in the version req`;
    case "unexpectedAfterWildcard":
      return "unexpected character after wildcard in version req";
    case "excessiveComparators":
      return "excessive number of version comparators";
  }
}

// Rust's `{:?}` for `char` escapes these; everything else that is "printable" is kept as is.
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  "\0": "\\0",
  "\t": "\\t",
  "\r": "\\r",
  "\n": "\\n",
  "'": "\\'",
  "\\": "\\\\",
};
// Rust treats these general categories (all of Zs except the ASCII space) and grapheme
// extenders as non-printable and writes them as `\u{hex}`.
const NOT_PRINTABLE = /^(?:[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Grapheme_Extend}]|(?! )\p{Zs})$/u;

/** A character quoted the way Rust's `Debug` for `char` prints it, e.g. `'|'` or `'\0'`. */
export function quoteChar(ch: string): string {
  const named = NAMED_ESCAPES[ch];
  if (named !== undefined) return `'${named}'`;
  if (NOT_PRINTABLE.test(ch)) {
    const code = ch.codePointAt(0) ?? 0;
    return `'\\u{${code.toString(16)}}'`;
  }
  return `'${ch}'`;
}

/** The whole code point starting at `index` (the crate reports chars, not bytes). */
export function charAt(text: string, index: number): string {
  const code = text.codePointAt(index);
  return code === undefined ? "" : String.fromCodePoint(code);
}
