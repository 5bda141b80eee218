/**
 * The deterministic .crate writer: the same files give the same bytes, and the bytes are the
 * ones `cargo package` produces for those files (tar-rs GNU headers, cargo's fixed mtime,
 * its gzip header), so a checksum computed by Wharf matches one computed by cargo.
 */
import { crateArchiveError, showEntryName } from "./archive-error.js";
import { checkArchivePath, compareArchivePaths, isSafePrefixPart } from "./archive-path.js";
import { gzipLikeCargo } from "./gzip.js";
import { BLOCK, FIELD, headerChecksum, paddedSize, writeBytes, writeOctal } from "./tar-header.js";

export interface CrateFileInput {
  /** relative to the package root, `/`-separated */
  path: string;
  bytes: Uint8Array;
  /** written with mode 0o755 instead of 0o644, as cargo does for files with the user x bit */
  executable?: boolean;
}

/** cargo's DETERMINISTIC_TIMESTAMP (2006-07-24), used for every entry */
export const CARGO_PACKAGE_MTIME = 1153704088;

/**
 * cargo generates these files in memory and writes their headers through a different code
 * path that leaves uid, gid and the device numbers as NUL bytes instead of octal zeros.
 */
const GENERATED_FILES = new Set(["Cargo.toml", "Cargo.lock", ".cargo_vcs_info.json"]);

const NAME_FIELD_BYTES = FIELD.name[1];
const encoder = new TextEncoder();

export function writeCrateArchive(
  name: string,
  version: string,
  files: readonly CrateFileInput[],
): Uint8Array {
  if (!isSafePrefixPart(name) || !isSafePrefixPart(version)) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_INVALID_OPTIONS",
      `cannot write a crate archive for \`${showEntryName(name)}\` \`${showEntryName(version)}\`: not a valid path component`,
    );
  }
  const seen = new Set<string>();
  for (const file of files) {
    const checked = checkArchivePath(file.path);
    if ("code" in checked) {
      throw crateArchiveError(
        checked.code,
        `cannot package \`${showEntryName(file.path)}\`: the path ${checked.reason}`,
      );
    }
    if (seen.has(file.path)) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_DUPLICATE_PATH",
        `cannot package \`${showEntryName(file.path)}\` twice`,
      );
    }
    seen.add(file.path);
  }
  const sorted = [...files].sort((a, b) => compareArchivePaths(a.path, b.path));

  const blocks: Uint8Array[] = [];
  for (const file of sorted) {
    const fullPath = encoder.encode(`${name}-${version}/${file.path}`);
    const generated = GENERATED_FILES.has(file.path);
    if (fullPath.length > NAME_FIELD_BYTES) {
      // GNU long name: a `././@LongLink` entry whose data is the path plus a NUL
      blocks.push(longLinkHeader(fullPath.length + 1));
      const data = new Uint8Array(paddedSize(fullPath.length + 1));
      data.set(fullPath);
      blocks.push(data);
    }
    const header = new Uint8Array(BLOCK);
    writeBytes(header, "name", truncateUtf8(fullPath, NAME_FIELD_BYTES));
    writeOctal(header, "mode", generated ? 0o644 : file.executable ? 0o755 : 0o644);
    if (!generated) {
      writeOctal(header, "uid", 0);
      writeOctal(header, "gid", 0);
    }
    writeOctal(header, "size", file.bytes.length);
    writeOctal(header, "mtime", CARGO_PACKAGE_MTIME);
    header[FIELD.typeflag[0]] = 0x30;
    writeGnuMagic(header);
    if (!generated) {
      writeOctal(header, "devmajor", 0);
      writeOctal(header, "devminor", 0);
    }
    writeOctal(header, "checksum", headerChecksum(header));
    blocks.push(header);
    const data = new Uint8Array(paddedSize(file.bytes.length));
    data.set(file.bytes);
    blocks.push(data);
  }
  blocks.push(new Uint8Array(2 * BLOCK));

  const tar = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    tar.set(b, at);
    at += b.length;
  }
  return gzipLikeCargo(tar, `${name}-${version}.crate`);
}

function writeGnuMagic(header: Uint8Array): void {
  writeBytes(header, "magic", encoder.encode("ustar "));
  writeBytes(header, "version", encoder.encode(" \0"));
}

function longLinkHeader(size: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  writeBytes(header, "name", encoder.encode("././@LongLink"));
  writeOctal(header, "mode", 0o644);
  writeOctal(header, "uid", 0);
  writeOctal(header, "gid", 0);
  writeOctal(header, "size", size);
  writeOctal(header, "mtime", 0);
  header[FIELD.typeflag[0]] = "L".charCodeAt(0);
  writeGnuMagic(header);
  writeOctal(header, "checksum", headerChecksum(header));
  return header;
}

/** The first `max` bytes of a UTF-8 path, cut back to a character boundary as tar-rs does. */
function truncateUtf8(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  // step back over continuation bytes (10xxxxxx) so no character is split
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
