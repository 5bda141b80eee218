/**
 * The error codes of the .crate reader and writer. Each refusal has its own stable code so
 * the registry can report it and tests can assert on it; messages name the entry concerned.
 */
import { WharfError } from "../errors/index.js";

export const CRATE_ARCHIVE_ERROR_CODES = [
  "CRATE_ARCHIVE_GZIP_INVALID",
  "CRATE_ARCHIVE_GZIP_CRC",
  "CRATE_ARCHIVE_GZIP_TRAILING_DATA",
  "CRATE_ARCHIVE_TRUNCATED",
  "CRATE_ARCHIVE_TRAILING_GARBAGE",
  "CRATE_ARCHIVE_HEADER_CHECKSUM",
  "CRATE_ARCHIVE_HEADER_INVALID",
  "CRATE_ARCHIVE_PAX_INVALID",
  "CRATE_ARCHIVE_PAX_GLOBAL",
  "CRATE_ARCHIVE_LINKPATH",
  "CRATE_ARCHIVE_SYMLINK",
  "CRATE_ARCHIVE_HARDLINK",
  "CRATE_ARCHIVE_DEVICE",
  "CRATE_ARCHIVE_FIFO",
  "CRATE_ARCHIVE_UNSUPPORTED_ENTRY_TYPE",
  "CRATE_ARCHIVE_SPECIAL_MODE",
  "CRATE_ARCHIVE_PATH_NOT_UTF8",
  "CRATE_ARCHIVE_PATH_NUL",
  "CRATE_ARCHIVE_PATH_BACKSLASH",
  "CRATE_ARCHIVE_PATH_ABSOLUTE",
  "CRATE_ARCHIVE_PATH_TRAVERSAL",
  "CRATE_ARCHIVE_PATH_INVALID",
  "CRATE_ARCHIVE_PATH_TOO_LONG",
  "CRATE_ARCHIVE_PATH_PREFIX",
  "CRATE_ARCHIVE_DUPLICATE_PATH",
  "CRATE_ARCHIVE_CASE_COLLISION",
  "CRATE_ARCHIVE_PATH_CONFLICT",
  "CRATE_ARCHIVE_TOO_MANY_ENTRIES",
  "CRATE_ARCHIVE_TOO_LARGE",
  "CRATE_ARCHIVE_RATIO",
  "CRATE_ARCHIVE_MISSING_MANIFEST",
  "CRATE_ARCHIVE_MANIFEST_NOT_UTF8",
  "CRATE_ARCHIVE_INVALID_OPTIONS",
] as const;

export type CrateArchiveErrorCode = (typeof CRATE_ARCHIVE_ERROR_CODES)[number];

export function crateArchiveError(
  code: CrateArchiveErrorCode,
  message: string,
  extra?: { hint?: string; cause?: unknown },
): WharfError {
  return new WharfError({ code, message, hint: extra?.hint, cause: extra?.cause });
}

/**
 * Entry names come from untrusted archives: escape control characters and cut long ones so
 * a message can never smuggle terminal escapes or flood a log.
 */
export function showEntryName(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}
