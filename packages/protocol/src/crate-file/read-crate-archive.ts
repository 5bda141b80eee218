/**
 * The strict .crate reader: gunzip with a bounded output, then walk the tar headers by hand
 * and refuse anything that is not a plain file or directory under `<name>-<version>/`.
 * Every check happens on the headers before the data is looked at, so a hostile archive
 * costs at most its bounded decompression.
 */
import { type CrateArchiveErrorCode, crateArchiveError, showEntryName } from "./archive-error.js";
import { checkArchivePath, isSafePrefixPart } from "./archive-path.js";
import { gunzipSingleMember } from "./gzip.js";
import { type ArchiveLimits, maxTarBytes, resolveArchiveLimits } from "./limits.js";
import {
  BLOCK,
  cString,
  field,
  headerChecksum,
  headerFormat,
  isZeroBlock,
  paddedSize,
  parseNumeric,
} from "./tar-header.js";

export interface CrateEntry {
  /** relative to `<name>-<version>/`, `/`-separated */
  path: string;
  /** permission bits only (setuid, setgid and sticky are refused) */
  mode: number;
  bytes: Uint8Array;
}

export interface CrateArchive {
  /** regular files in archive order */
  files: CrateEntry[];
  /** explicit directory entries (cargo writes none), relative, without a trailing slash */
  directories: string[];
  /** the text of `<name>-<version>/Cargo.toml` */
  cargoToml: string;
  /** sum of the regular files' sizes */
  unpackedBytes: number;
}

export interface ReadCrateArchiveOptions {
  name: string;
  version: string;
  limits?: Partial<ArchiveLimits>;
  /**
   * Paths differing only in case (`README` and `readme`) extract fine on Linux but overwrite
   * each other on macOS and Windows. Refused unless the caller allows them.
   */
  allowCaseCollisions?: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const lossy = new TextDecoder("utf-8");

/** What pax or GNU long-name headers said about the entry that follows them. */
interface PendingMeta {
  paxPath?: string;
  paxSize?: number;
  longName?: Uint8Array;
  sawPax: boolean;
}

const ENTRY_TYPES: Record<string, { code: CrateArchiveErrorCode; what: string } | undefined> = {
  "1": { code: "CRATE_ARCHIVE_HARDLINK", what: "a hard link" },
  "2": { code: "CRATE_ARCHIVE_SYMLINK", what: "a symbolic link" },
  "3": { code: "CRATE_ARCHIVE_DEVICE", what: "a character device" },
  "4": { code: "CRATE_ARCHIVE_DEVICE", what: "a block device" },
  "6": { code: "CRATE_ARCHIVE_FIFO", what: "a FIFO" },
  K: { code: "CRATE_ARCHIVE_LINKPATH", what: "a GNU long link name" },
  g: { code: "CRATE_ARCHIVE_PAX_GLOBAL", what: "a global pax header" },
};

export function readCrateArchive(bytes: Uint8Array, options: ReadCrateArchiveOptions): CrateArchive {
  const { name, version } = options;
  if (!isSafePrefixPart(name) || !isSafePrefixPart(version)) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_INVALID_OPTIONS",
      `cannot check a crate archive for \`${showEntryName(name)}\` \`${showEntryName(version)}\`: not a valid path component`,
    );
  }
  const limits = resolveArchiveLimits(options.limits);
  const label = `crate archive \`${name}-${version}.crate\``;
  const prefix = `${name}-${version}`;

  // Stop inflating at whichever bound comes first: the archive-size limit, or the ratio
  // limit (small archives are exempt up to `ratioFloorBytes`).
  const byRatio = Math.max(limits.ratioFloorBytes, bytes.length * limits.maxRatio);
  const bySize = maxTarBytes(limits);
  const tar = gunzipSingleMember(bytes, {
    label,
    maxOutputBytes: Math.min(byRatio, bySize),
    onTooLarge: () =>
      byRatio < bySize
        ? crateArchiveError(
            "CRATE_ARCHIVE_RATIO",
            `${label}: decompresses to more than ${limits.maxRatio} times its ${bytes.length} bytes (a gzip bomb?)`,
          )
        : crateArchiveError(
            "CRATE_ARCHIVE_TOO_LARGE",
            `${label}: decompresses to more than ${bySize} bytes, above the ${limits.maxUnpackedBytes}-byte limit`,
          ),
  });

  const files: CrateEntry[] = [];
  const directories: string[] = [];
  const kinds = new Map<string, "file" | "dir" | "implied-dir">();
  const folded = new Map<string, string>();
  let unpackedBytes = 0;
  let entryCount = 0;
  let pending: PendingMeta = { sawPax: false };
  let offset = 0;

  const truncated = (what: string) =>
    crateArchiveError("CRATE_ARCHIVE_TRUNCATED", `${label}: the tar archive ends inside ${what}`);

  for (;;) {
    if (offset + BLOCK > tar.length) {
      throw truncated(offset === tar.length ? "the entry list (no end-of-archive marker)" : "a header");
    }
    const block = tar.subarray(offset, offset + BLOCK);
    if (isZeroBlock(block)) {
      if (pending.sawPax || pending.longName) {
        throw crateArchiveError(
          "CRATE_ARCHIVE_PAX_INVALID",
          `${label}: an extended header is not followed by an entry`,
        );
      }
      if (offset + 2 * BLOCK > tar.length) throw truncated("the end-of-archive marker");
      if (!isZeroBlock(tar.subarray(offset + BLOCK))) {
        throw crateArchiveError(
          "CRATE_ARCHIVE_TRAILING_GARBAGE",
          `${label}: non-zero data after the end-of-archive marker at byte ${offset}`,
          { hint: "another tool could read entries there that Wharf never checked" },
        );
      }
      break;
    }

    const headerName = displayHeaderName(block);
    const stored = parseNumeric(field(block, "checksum"));
    if (stored === undefined || stored !== headerChecksum(block)) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_HEADER_CHECKSUM",
        `${label}: header checksum mismatch for entry \`${showEntryName(headerName)}\` at byte ${offset}`,
      );
    }
    const format = headerFormat(block);
    if (format === undefined) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_HEADER_INVALID",
        `${label}: unknown tar header format for entry \`${showEntryName(headerName)}\``,
      );
    }
    const typeflag = String.fromCharCode(block[156]!);
    const headerSize = numeric(block, "size", headerName, label);
    const size = pending.paxSize ?? headerSize;
    const dataStart = offset + BLOCK;
    const next = dataStart + paddedSize(size);

    const refused = ENTRY_TYPES[typeflag];
    if (refused) {
      throw crateArchiveError(
        refused.code,
        `${label}: entry \`${showEntryName(pending.paxPath ?? headerName)}\` is ${refused.what}; only regular files and directories are allowed`,
      );
    }

    if (typeflag === "x" || typeflag === "L") {
      const max = typeflag === "x" ? limits.maxPaxBytes : limits.maxPathBytes + 1;
      if (headerSize > max) {
        throw crateArchiveError(
          typeflag === "x" ? "CRATE_ARCHIVE_PAX_INVALID" : "CRATE_ARCHIVE_PATH_TOO_LONG",
          `${label}: extended header before \`${showEntryName(headerName)}\` is ${headerSize} bytes (at most ${max})`,
        );
      }
      if (dataStart + headerSize > tar.length) throw truncated("an extended header");
      const data = tar.subarray(dataStart, dataStart + headerSize);
      if (typeflag === "x") {
        if (pending.sawPax) {
          throw crateArchiveError("CRATE_ARCHIVE_PAX_INVALID", `${label}: two pax headers in a row`);
        }
        pending = { ...pending, ...parsePax(data, label), sawPax: true };
      } else {
        if (pending.longName) {
          throw crateArchiveError(
            "CRATE_ARCHIVE_PAX_INVALID",
            `${label}: two GNU long-name headers in a row`,
          );
        }
        pending.longName = stripTrailingNuls(data);
      }
      offset = dataStart + paddedSize(headerSize);
      continue;
    }

    const isFile = typeflag === "0" || typeflag === "\0";
    const isDir = typeflag === "5";
    if (!isFile && !isDir) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_UNSUPPORTED_ENTRY_TYPE",
        `${label}: entry \`${showEntryName(pending.paxPath ?? headerName)}\` has unsupported tar type \`${showEntryName(typeflag)}\`${typeflag === "S" ? " (GNU sparse file)" : ""}`,
      );
    }

    // the path: pax wins over a GNU long name, which wins over the header's own fields
    let rawPath: string;
    if (pending.paxPath !== undefined) {
      rawPath = pending.paxPath;
    } else {
      let pathBytes: Uint8Array = pending.longName ?? cString(field(block, "name"));
      if (!pending.longName && format === "ustar") {
        const pre = cString(field(block, "prefix"));
        if (pre.length > 0) pathBytes = concat(pre, new Uint8Array([0x2f]), pathBytes);
      }
      try {
        rawPath = utf8.decode(pathBytes);
      } catch {
        throw crateArchiveError(
          "CRATE_ARCHIVE_PATH_NOT_UTF8",
          `${label}: entry \`${showEntryName(lossy.decode(pathBytes))}\` has a name that is not valid UTF-8`,
        );
      }
    }
    const pathLength = new TextEncoder().encode(rawPath).length;
    if (pathLength > limits.maxPathBytes) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_PATH_TOO_LONG",
        `${label}: entry \`${showEntryName(rawPath)}\` has a ${pathLength}-byte path (at most ${limits.maxPathBytes})`,
      );
    }
    const shown = showEntryName(rawPath);

    if (cString(field(block, "linkname")).length > 0) {
      throw crateArchiveError("CRATE_ARCHIVE_LINKPATH", `${label}: entry \`${shown}\` carries a link name`);
    }

    const mode = numeric(block, "mode", rawPath, label);
    if ((mode & 0o7000) !== 0) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_SPECIAL_MODE",
        `${label}: entry \`${shown}\` has mode ${mode.toString(8)} with setuid, setgid or sticky bits`,
      );
    }
    if (isDir && size !== 0) {
      throw crateArchiveError("CRATE_ARCHIVE_HEADER_INVALID", `${label}: directory \`${shown}\` has a size`);
    }

    const relative = checkEntryPath(rawPath, isDir, { prefix, label, shown });

    entryCount++;
    if (entryCount > limits.maxEntries) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_TOO_MANY_ENTRIES",
        `${label}: more than ${limits.maxEntries} entries`,
      );
    }
    // sizes are checked from the header before reading, so a lying size costs nothing
    unpackedBytes += size;
    if (unpackedBytes > limits.maxUnpackedBytes) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_TOO_LARGE",
        `${label}: entry \`${shown}\` brings the unpacked size above ${limits.maxUnpackedBytes} bytes`,
      );
    }
    if (dataStart + size > tar.length) throw truncated(`the data of \`${shown}\``);

    if (relative !== "") {
      recordPath(relative, isDir ? "dir" : "file", { kinds, folded, label, options });
    }
    if (isFile) {
      files.push({ path: relative, mode: mode & 0o777, bytes: tar.subarray(dataStart, dataStart + size) });
    } else if (relative !== "") {
      directories.push(relative);
    }
    pending = { sawPax: false };
    offset = next;
  }

  const manifest = files.find((f) => f.path === "Cargo.toml");
  if (!manifest) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_MISSING_MANIFEST",
      `${label}: no \`${prefix}/Cargo.toml\` in the archive`,
    );
  }
  let cargoToml: string;
  try {
    cargoToml = utf8.decode(manifest.bytes);
  } catch (cause) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_MANIFEST_NOT_UTF8",
      `${label}: \`${prefix}/Cargo.toml\` is not valid UTF-8`,
      {
        cause,
      },
    );
  }
  return { files, directories, cargoToml, unpackedBytes };
}

function numeric(block: Uint8Array, name: "size" | "mode", entry: string, label: string): number {
  const value = parseNumeric(field(block, name));
  if (value === undefined) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_HEADER_INVALID",
      `${label}: entry \`${showEntryName(entry)}\` has an invalid ${name} field`,
    );
  }
  return value;
}

function displayHeaderName(block: Uint8Array): string {
  return lossy.decode(cString(field(block, "name")));
}

function checkEntryPath(
  rawPath: string,
  isDir: boolean,
  context: { prefix: string; label: string; shown: string },
): string {
  const { prefix, label, shown } = context;
  // directories conventionally end in `/`; files must not (some tools unpack them as dirs)
  const path = isDir && rawPath.endsWith("/") ? rawPath.slice(0, -1) : rawPath;
  const checked = checkArchivePath(path);
  if ("code" in checked) {
    throw crateArchiveError(checked.code, `${label}: entry \`${shown}\` ${checked.reason}`);
  }
  const [first, ...rest] = checked.components;
  if (first !== prefix) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_PATH_PREFIX",
      `${label}: entry \`${shown}\` is not under \`${prefix}/\``,
      { hint: "every path in a .crate must start with `<name>-<version>/` of the crate it claims to be" },
    );
  }
  if (rest.length === 0 && !isDir) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_PATH_INVALID",
      `${label}: entry \`${shown}\` is a file named like the package root`,
    );
  }
  return rest.join("/");
}

function recordPath(
  path: string,
  kind: "file" | "dir",
  context: {
    kinds: Map<string, "file" | "dir" | "implied-dir">;
    folded: Map<string, string>;
    label: string;
    options: ReadCrateArchiveOptions;
  },
): void {
  const { kinds, folded, label, options } = context;
  const shown = showEntryName(path);
  const existing = kinds.get(path);
  if (existing === kind) {
    throw crateArchiveError("CRATE_ARCHIVE_DUPLICATE_PATH", `${label}: entry \`${shown}\` appears twice`, {
      hint: "tools disagree on which copy wins, so duplicates are refused",
    });
  }
  if (existing !== undefined && !(kind === "dir" && existing === "implied-dir")) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_PATH_CONFLICT",
      `${label}: entry \`${shown}\` is both a file and a directory`,
    );
  }
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const ancestor = parts.slice(0, i).join("/");
    const seen = kinds.get(ancestor);
    if (seen === "file") {
      throw crateArchiveError(
        "CRATE_ARCHIVE_PATH_CONFLICT",
        `${label}: entry \`${shown}\` is inside \`${showEntryName(ancestor)}\`, which is a file`,
      );
    }
    if (seen === undefined) kinds.set(ancestor, "implied-dir");
  }
  kinds.set(path, kind);
  if (!options.allowCaseCollisions) {
    const key = path.toLowerCase();
    const other = folded.get(key);
    if (other !== undefined && other !== path) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_CASE_COLLISION",
        `${label}: entries \`${showEntryName(other)}\` and \`${shown}\` differ only in case`,
        { hint: "they would overwrite each other on case-insensitive file systems (macOS, Windows)" },
      );
    }
    folded.set(key, path);
  }
}

/** pax records are `<len> <key>=<value>\n` with `len` counting the whole record in bytes. */
function parsePax(data: Uint8Array, label: string): { paxPath?: string; paxSize?: number } {
  const invalid = (why: string) =>
    crateArchiveError("CRATE_ARCHIVE_PAX_INVALID", `${label}: pax header ${why}`);
  const out: { paxPath?: string; paxSize?: number } = {};
  const seen = new Set<string>();
  let pos = 0;
  while (pos < data.length) {
    // tar writers pad the last block with NULs; anything else must be records
    if (data[pos] === 0 && data.subarray(pos).every((b) => b === 0)) break;
    const space = data.indexOf(0x20, pos);
    if (space < 0 || space - pos > 10) throw invalid("has a malformed record length");
    const lengthText = String.fromCharCode(...data.subarray(pos, space));
    if (!/^[1-9][0-9]*$/.test(lengthText)) throw invalid("has a malformed record length");
    const length = Number(lengthText);
    const end = pos + length;
    if (end > data.length || data[end - 1] !== 0x0a) throw invalid("has a record that overruns its data");
    let record: string;
    try {
      record = utf8.decode(data.subarray(space + 1, end - 1));
    } catch {
      throw invalid("has a record that is not valid UTF-8");
    }
    const eq = record.indexOf("=");
    if (eq <= 0) throw invalid("has a record without `key=value`");
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (seen.has(key)) throw invalid(`repeats the key \`${showEntryName(key)}\``);
    seen.add(key);
    if (key === "path") {
      out.paxPath = value;
    } else if (key === "size") {
      if (!/^[0-9]{1,16}$/.test(value) || Number(value) > Number.MAX_SAFE_INTEGER) {
        throw invalid(`has an invalid size \`${showEntryName(value)}\``);
      }
      out.paxSize = Number(value);
    } else if (key === "linkpath") {
      throw crateArchiveError(
        "CRATE_ARCHIVE_LINKPATH",
        `${label}: pax header sets \`linkpath\` to \`${showEntryName(value)}\`; links are not allowed`,
      );
    } else if (key.startsWith("GNU.sparse.")) {
      throw crateArchiveError(
        "CRATE_ARCHIVE_UNSUPPORTED_ENTRY_TYPE",
        `${label}: pax header describes a GNU sparse file`,
      );
    } else if (key === "hdrcharset" && value !== "ISO-IR 10646 2000 UTF-8") {
      throw invalid("declares a non-UTF-8 header charset");
    }
    // mtime, uid, uname, comments and vendor keys do not change what gets extracted
    pos = end;
  }
  return out;
}

function stripTrailingNuls(data: Uint8Array): Uint8Array {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  // a NUL left inside the name is kept so the path check refuses it: readers disagree on where it ends
  return data.subarray(0, end);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
