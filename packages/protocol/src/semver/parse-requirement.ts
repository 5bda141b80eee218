/**
 * Requirement text -> VersionReq, with the semver crate's grammar: `*` alone, or up to 32
 * comma-separated comparators, each an optional operator and a partial version. Spaces
 * (ASCII spaces only) may surround operators and commas but not sit inside a version.
 * npm-only syntax (`||`, hyphen ranges, `v1.2`, space-separated sets) is rejected with the
 * crate's reason.
 */
import { WharfError } from "../errors/index.js";
import type { ParseResult } from "./parse-version.js";
import { scanIdentifier, scanNumber, scanWildcard, skipSpaces } from "./scan.js";
import { charAt, SemverSyntaxError, type SyntaxPosition } from "./syntax-error.js";
import { type Comparator, MAX_COMPARATORS, type Op, STAR, type VersionReq } from "./version-req.js";

function scanOp(text: string, start: number): { op: Op | undefined; end: number } {
  const first = text[start];
  const second = text[start + 1];
  switch (first) {
    case "=":
      return { op: "exact", end: start + 1 };
    case ">":
      return second === "=" ? { op: "greaterEq", end: start + 2 } : { op: "greater", end: start + 1 };
    case "<":
      return second === "=" ? { op: "lessEq", end: start + 2 } : { op: "less", end: start + 1 };
    case "~":
      return { op: "tilde", end: start + 1 };
    case "^":
      return { op: "caret", end: start + 1 };
    default:
      return { op: undefined, end: start };
  }
}

interface ScannedComparator {
  comparator: Comparator;
  /** where the parser was, for "expected comma after ..." */
  pos: SyntaxPosition;
  /** index just past the comparator and any spaces after it */
  end: number;
}

function scanComparator(text: string, start: number): ScannedComparator {
  const scannedOp = scanOp(text, start);
  const defaultOp = scannedOp.op === undefined;
  let op: Op = scannedOp.op ?? "caret";
  let index = skipSpaces(text, scannedOp.end);

  let pos: SyntaxPosition = "major";
  const major = scanNumber(text, index, pos);
  index = major.end;
  let hasWildcard = false;

  let minor: bigint | undefined;
  if (text[index] === ".") {
    index++;
    pos = "minor";
    if (scanWildcard(text, index) !== undefined) {
      hasWildcard = true;
      if (defaultOp) op = "wildcard";
      index++;
    } else {
      const scanned = scanNumber(text, index, pos);
      minor = scanned.value;
      index = scanned.end;
    }
  }

  let patch: bigint | undefined;
  if (text[index] === ".") {
    index++;
    pos = "patch";
    if (scanWildcard(text, index) !== undefined) {
      if (defaultOp) op = "wildcard";
      index++;
    } else if (hasWildcard) {
      throw new SemverSyntaxError({ kind: "unexpectedAfterWildcard" });
    } else {
      const scanned = scanNumber(text, index, pos);
      patch = scanned.value;
      index = scanned.end;
    }
  }

  let pre = "";
  if (patch !== undefined && text[index] === "-") {
    pos = "pre";
    const scanned = scanIdentifier(text, index + 1, pos);
    if (scanned.value === "") throw new SemverSyntaxError({ kind: "emptySegment", pos });
    pre = scanned.value;
    index = scanned.end;
  }

  // Build metadata is accepted and thrown away: it never affects matching.
  if (patch !== undefined && text[index] === "+") {
    pos = "build";
    const scanned = scanIdentifier(text, index + 1, pos);
    if (scanned.value === "") throw new SemverSyntaxError({ kind: "emptySegment", pos });
    index = scanned.end;
  }

  return { comparator: { op, major: major.value, minor, patch, pre }, pos, end: skipSpaces(text, index) };
}

function parseRequirementOrThrow(text: string): VersionReq {
  let index = skipSpaces(text, 0);
  const star = scanWildcard(text, index);
  if (star !== undefined) {
    const rest = skipSpaces(text, index + 1);
    if (rest === text.length) return STAR;
    if (text[rest] === ",") throw new SemverSyntaxError({ kind: "wildcardNotTheOnlyComparator", ch: star });
    throw new SemverSyntaxError({ kind: "unexpectedAfterWildcard" });
  }

  const comparators: Comparator[] = [];
  for (;;) {
    let scanned: ScannedComparator;
    try {
      scanned = scanComparator(text, index);
    } catch (error) {
      // A lone `*` after a comma gets the clearer reason.
      const ch = scanWildcard(text, index);
      if (error instanceof SemverSyntaxError && ch !== undefined) {
        const rest = skipSpaces(text, index + 1);
        if (rest === text.length || text[rest] === ",") {
          throw new SemverSyntaxError({ kind: "wildcardNotTheOnlyComparator", ch });
        }
      }
      throw error;
    }
    comparators.push(scanned.comparator);
    index = scanned.end;
    if (index === text.length) return { comparators };
    if (text[index] !== ",") {
      throw new SemverSyntaxError({ kind: "expectedCommaFound", pos: scanned.pos, ch: charAt(text, index) });
    }
    index = skipSpaces(text, index + 1);
    if (comparators.length === MAX_COMPARATORS) throw new SemverSyntaxError({ kind: "excessiveComparators" });
  }
}

/** Parses without throwing; `reason` is the crate's own wording. */
export function tryParseRequirement(text: string): ParseResult<VersionReq> {
  try {
    return { ok: true, value: parseRequirementOrThrow(text) };
  } catch (error) {
    if (error instanceof SemverSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Parses a requirement as cargo reads a dependency's `version`, or throws WharfError
 * `SEMVER_INVALID_REQUIREMENT` naming the input. The empty string is an error, as in cargo.
 */
export function parseRequirement(text: string): VersionReq {
  const result = tryParseRequirement(text);
  if (result.ok) return result.value;
  throw new WharfError({
    code: "SEMVER_INVALID_REQUIREMENT",
    message: `invalid version requirement \`${text}\`: ${result.reason}`,
  });
}
