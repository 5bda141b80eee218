/**
 * Path rules for .crate entries, shared by the reader (which refuses hostile names) and the
 * writer (which refuses to produce them), plus the order cargo sorts entries in.
 */
import type { CrateArchiveErrorCode } from "./archive-error.js";

export type PathProblem = { code: CrateArchiveErrorCode; reason: string };

/**
 * Checks a `/`-separated path and returns its components, or the first problem found.
 * Traversal is reported before other component problems so `a/../b` says `..`, not "empty".
 */
export function checkArchivePath(path: string): { components: string[] } | PathProblem {
  if (path.includes("\0")) return { code: "CRATE_ARCHIVE_PATH_NUL", reason: "contains a NUL byte" };
  if (path.includes("\\")) {
    return { code: "CRATE_ARCHIVE_PATH_BACKSLASH", reason: "contains a backslash (a separator on Windows)" };
  }
  if (path.startsWith("/")) return { code: "CRATE_ARCHIVE_PATH_ABSOLUTE", reason: "is an absolute path" };
  const components = path.split("/");
  if (components.includes("..")) {
    return { code: "CRATE_ARCHIVE_PATH_TRAVERSAL", reason: "has a `..` component" };
  }
  if (components.some((c) => c === "" || c === ".")) {
    return { code: "CRATE_ARCHIVE_PATH_INVALID", reason: "has an empty or `.` component" };
  }
  return { components };
}

const encoder = new TextEncoder();

/**
 * cargo sorts archive entries by `Path`, which compares component by component on the
 * bytes, so `a/b` sorts before `a-b` even though `/` > `-` as a byte.
 */
export function compareArchivePaths(a: string, b: string): number {
  const ac = a.split("/");
  const bc = b.split("/");
  const n = Math.min(ac.length, bc.length);
  for (let i = 0; i < n; i++) {
    const order = compareUtf8(ac[i]!, bc[i]!);
    if (order !== 0) return order;
  }
  return ac.length - bc.length;
}

function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  const n = Math.min(ab.length, bb.length);
  for (let i = 0; i < n; i++) {
    if (ab[i] !== bb[i]) return ab[i]! - bb[i]!;
  }
  return ab.length - bb.length;
}

/** `<name>-<version>` must be one path component for the prefix check to mean anything. */
export function isSafePrefixPart(text: string): boolean {
  return text.length > 0 && !/[/\\\0]/.test(text) && text !== "." && text !== "..";
}
