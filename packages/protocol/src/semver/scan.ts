/**
 * The lexical pieces shared by the version and requirement parsers, mirroring the semver
 * crate's parse.rs step for step so that the same input fails at the same place with the
 * same reason. Each function takes the text and a start index and returns the end index.
 */
import { charAt, SemverSyntaxError, type SyntaxPosition } from "./syntax-error.js";
import { U64_MAX } from "./version.js";

export function isDigit(code: number | undefined): boolean {
  return code !== undefined && code >= 0x30 && code <= 0x39;
}

/** A u64 without leading zeros. */
export function scanNumber(text: string, start: number, pos: SyntaxPosition): { value: bigint; end: number } {
  let end = start;
  let value = 0n;
  while (isDigit(text.charCodeAt(end))) {
    if (value === 0n && end > start) throw new SemverSyntaxError({ kind: "leadingZero", pos });
    value = value * 10n + BigInt(text.charCodeAt(end) - 0x30);
    if (value > U64_MAX) throw new SemverSyntaxError({ kind: "overflow", pos });
    end++;
  }
  if (end > start) return { value, end };
  if (start < text.length)
    throw new SemverSyntaxError({ kind: "unexpectedChar", pos, ch: charAt(text, start) });
  throw new SemverSyntaxError({ kind: "unexpectedEnd", pos });
}

/** The `.` between version numbers. */
export function scanDot(text: string, start: number, pos: SyntaxPosition): number {
  if (text[start] === ".") return start + 1;
  if (start < text.length) {
    throw new SemverSyntaxError({ kind: "unexpectedCharAfter", pos, ch: charAt(text, start) });
  }
  throw new SemverSyntaxError({ kind: "unexpectedEnd", pos });
}

/** A wildcard `*`, `x` or `X` at `start`, if there is one. */
export function scanWildcard(text: string, start: number): string | undefined {
  const ch = text[start];
  return ch === "*" || ch === "x" || ch === "X" ? ch : undefined;
}

function isIdentChar(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2d // A-Z a-z -
  );
}

/**
 * Dot-separated `[0-9A-Za-z-]+` segments (pre-release or build metadata). Returns the empty
 * string when there is no identifier at all; a numeric pre-release segment may not have a
 * leading zero (build metadata may).
 */
export function scanIdentifier(
  text: string,
  start: number,
  pos: "pre" | "build",
): { value: string; end: number } {
  let accumulated = start;
  let segmentLength = 0;
  let segmentHasNonDigit = false;
  for (;;) {
    const code = text.charCodeAt(accumulated + segmentLength);
    if (isIdentChar(code)) {
      segmentLength++;
      segmentHasNonDigit = true;
    } else if (isDigit(code)) {
      segmentLength++;
    } else {
      const boundaryIsDot = code === 0x2e;
      if (segmentLength === 0) {
        if (accumulated === start && !boundaryIsDot) return { value: "", end: start };
        throw new SemverSyntaxError({ kind: "emptySegment", pos });
      }
      if (pos === "pre" && segmentLength > 1 && !segmentHasNonDigit && text[accumulated] === "0") {
        throw new SemverSyntaxError({ kind: "leadingZero", pos });
      }
      accumulated += segmentLength;
      if (boundaryIsDot) {
        accumulated++;
        segmentLength = 0;
        segmentHasNonDigit = false;
      } else {
        return { value: text.slice(start, accumulated), end: accumulated };
      }
    }
  }
}

/** Skips ASCII spaces only: the crate trims `' '`, not tabs or newlines. */
export function skipSpaces(text: string, start: number): number {
  let end = start;
  while (text[end] === " ") end++;
  return end;
}
