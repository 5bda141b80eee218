/**
 * Version text -> Version, with the semver crate's grammar and error reasons: exactly
 * `MAJOR.MINOR.PATCH`, optional `-pre` and `+build`, no `v` prefix, no surrounding space.
 */
import { WharfError } from "../errors/index.js";
import { scanDot, scanIdentifier, scanNumber } from "./scan.js";
import { charAt, SemverSyntaxError, type SyntaxPosition } from "./syntax-error.js";
import type { Version } from "./version.js";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseVersionOrThrow(text: string): Version {
  if (text === "") throw new SemverSyntaxError({ kind: "empty" });
  let pos: SyntaxPosition = "major";
  const major = scanNumber(text, 0, pos);
  let index = scanDot(text, major.end, pos);
  pos = "minor";
  const minor = scanNumber(text, index, pos);
  index = scanDot(text, minor.end, pos);
  pos = "patch";
  const patch = scanNumber(text, index, pos);
  index = patch.end;

  let pre = "";
  if (text[index] === "-") {
    pos = "pre";
    const scanned = scanIdentifier(text, index + 1, pos);
    if (scanned.value === "") throw new SemverSyntaxError({ kind: "emptySegment", pos });
    pre = scanned.value;
    index = scanned.end;
  }
  let build = "";
  if (text[index] === "+") {
    pos = "build";
    const scanned = scanIdentifier(text, index + 1, pos);
    if (scanned.value === "") throw new SemverSyntaxError({ kind: "emptySegment", pos });
    build = scanned.value;
    index = scanned.end;
  }
  if (index < text.length) {
    throw new SemverSyntaxError({ kind: "unexpectedCharAfter", pos, ch: charAt(text, index) });
  }
  return { major: major.value, minor: minor.value, patch: patch.value, pre, build };
}

/**
 * Parses without throwing; `reason` is the crate's own wording (what cargo prints under
 * `Caused by:`), for callers that wrap it in their own context.
 */
export function tryParseVersion(text: string): ParseResult<Version> {
  try {
    return { ok: true, value: parseVersionOrThrow(text) };
  } catch (error) {
    if (error instanceof SemverSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Parses a version or throws WharfError `SEMVER_INVALID_VERSION` naming the input. */
export function parseVersion(text: string): Version {
  const result = tryParseVersion(text);
  if (result.ok) return result.value;
  throw new WharfError({
    code: "SEMVER_INVALID_VERSION",
    message: `invalid version \`${text}\`: ${result.reason}`,
  });
}
