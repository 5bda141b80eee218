/**
 * Crafted bad .crate files, one per threat the reader must refuse. Built with a tiny raw tar
 * writer of their own (not Wharf's writer, which refuses to produce any of this), so each
 * archive is exactly as hostile as described. Shared by the reader's tests and the
 * registry's raw-HTTP upload tests.
 */
import { constants, crc32, deflateRawSync, gzipSync } from "node:zlib";

/** every hostile archive claims to be this crate */
export const HOSTILE_CRATE_NAME = "evil";
export const HOSTILE_CRATE_VERSION = "0.1.0";
const ROOT = `${HOSTILE_CRATE_NAME}-${HOSTILE_CRATE_VERSION}`;

export interface HostileCrate {
  name: string;
  /** the .crate bytes (gzip'd tar), to upload or read as `evil` 0.1.0 */
  bytes: Uint8Array;
  /** the WharfError code readCrateArchive must throw */
  expectedCode: string;
}

export interface RawTarEntry {
  path: string | Uint8Array;
  /** tar typeflag character: "0" file, "5" dir, "1" hardlink, "2" symlink, "x" pax, ... */
  type?: string;
  data?: Uint8Array | string;
  /** the size written in the header, when it should lie about `data` */
  size?: number;
  mode?: number;
  linkname?: string;
  /** spoil the checksum field */
  badChecksum?: boolean;
}

const enc = new TextEncoder();
const BLOCK = 512;

function octal(header: Uint8Array, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, "0");
  header.set(enc.encode(text.slice(-(length - 1))), offset);
  header[offset + length - 1] = 0;
}

/** One entry (header plus padded data) in POSIX ustar layout. */
export function rawTarEntry(entry: RawTarEntry): Uint8Array {
  const data = typeof entry.data === "string" ? enc.encode(entry.data) : (entry.data ?? new Uint8Array());
  const header = new Uint8Array(BLOCK);
  const path = typeof entry.path === "string" ? enc.encode(entry.path) : entry.path;
  if (path.length > 100) throw new Error("rawTarEntry: use a pax or GNU long-name entry for long paths");
  header.set(path, 0);
  octal(header, 100, 8, entry.mode ?? 0o644);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, entry.size ?? data.length);
  octal(header, 136, 12, 1153704088);
  header[156] = (entry.type ?? "0").charCodeAt(0);
  if (entry.linkname) header.set(enc.encode(entry.linkname), 157);
  header.set(enc.encode("ustar\u000000"), 257);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  octal(header, 148, 8, entry.badChecksum ? sum + 1 : sum);
  const out = new Uint8Array(BLOCK + Math.ceil(data.length / BLOCK) * BLOCK);
  out.set(header, 0);
  out.set(data, BLOCK);
  return out;
}

/** A pax extended header carrying the given records for the entry after it. */
export function paxEntry(records: Record<string, string>): Uint8Array {
  let body = "";
  for (const [key, value] of Object.entries(records)) {
    const rest = ` ${key}=${value}\n`;
    let length = enc.encode(rest).length + 1;
    while (String(length).length + enc.encode(rest).length !== length) length++;
    body += `${length}${rest}`;
  }
  return rawTarEntry({ path: "././@PaxHeader", type: "x", data: body });
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Entries plus the two-zero-block end marker. */
export function rawTar(entries: readonly Uint8Array[]): Uint8Array {
  return concatBytes([...entries, new Uint8Array(2 * BLOCK)]);
}

export function gzipBytes(tar: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(tar));
}

const MANIFEST = `[package]\nname = "${HOSTILE_CRATE_NAME}"\nversion = "${HOSTILE_CRATE_VERSION}"\nedition = "2021"\n`;

function manifestEntry(): Uint8Array {
  return rawTarEntry({ path: `${ROOT}/Cargo.toml`, data: MANIFEST });
}

/** A well-formed crate with `extra` entries after the manifest. */
function crateWith(...extra: Uint8Array[]): Uint8Array {
  return gzipBytes(rawTar([manifestEntry(), ...extra]));
}

/**
 * A gzip stream that inflates to a tar of ~1 GiB of zeros from ~1 MiB: one 1 MiB chunk of
 * zeros is deflated once with a full flush (so it stands alone) and repeated, which keeps
 * generation cheap; the CRC is computed honestly so only the size gives it away.
 */
function gzipBomb(): Uint8Array {
  const fileSize = 1024 * 1024 * 1024;
  const header = rawTar([manifestEntry()]).subarray(0, -2 * BLOCK);
  const fileHeader = rawTarEntry({ path: `${ROOT}/zeros.bin`, size: fileSize }).subarray(0, BLOCK);
  const prefix = concatBytes([header, fileHeader]);
  const chunk = new Uint8Array(1024 * 1024);
  const repeats = fileSize / chunk.length + 1; // data plus the end-of-archive blocks, rounded up
  const flushed = { finishFlush: constants.Z_FULL_FLUSH };
  const prefixDeflated = deflateRawSync(prefix, flushed);
  const chunkDeflated = deflateRawSync(chunk, flushed);
  const final = deflateRawSync(new Uint8Array(0));
  let crc = crc32(prefix);
  for (let i = 0; i < repeats; i++) crc = crc32(chunk, crc);
  const total = prefix.length + repeats * chunk.length;
  const gzHeader = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, crc, true);
  new DataView(trailer.buffer).setUint32(4, total % 2 ** 32, true);
  return concatBytes([
    gzHeader,
    prefixDeflated,
    ...Array.from({ length: repeats }, () => chunkDeflated),
    final,
    trailer,
  ]);
}

/**
 * 20,001 empty files with pseudo-random names: random names keep the tar from compressing
 * so well that the ratio check fires before the entry count does.
 */
function entryCountBomb(): Uint8Array {
  const entries = [manifestEntry()];
  let seed = 0x2545f491;
  const hex = () => {
    let s = "";
    for (let i = 0; i < 10; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      s += (seed >>> 8).toString(16).padStart(6, "0");
    }
    return s.slice(0, 60);
  };
  for (let i = 0; i < 20_001; i++) entries.push(rawTarEntry({ path: `${ROOT}/${hex()}` }));
  return gzipBytes(rawTar(entries));
}

function build(): HostileCrate[] {
  const list: HostileCrate[] = [];
  const add = (name: string, bytes: Uint8Array, expectedCode: string) =>
    list.push({ name, bytes, expectedCode });
  const file = (path: string | Uint8Array, extra: Partial<RawTarEntry> = {}) =>
    rawTarEntry({ path, data: "x", ...extra });

  add("dot-dot path", crateWith(file(`${ROOT}/../escape.txt`)), "CRATE_ARCHIVE_PATH_TRAVERSAL");
  add("dot-dot first component", crateWith(file("../../tmp/escape.txt")), "CRATE_ARCHIVE_PATH_TRAVERSAL");
  add("absolute path", crateWith(file("/tmp/evil-absolute.txt")), "CRATE_ARCHIVE_PATH_ABSOLUTE");
  add("backslash path", crateWith(file(`${ROOT}\\..\\escape.txt`)), "CRATE_ARCHIVE_PATH_BACKSLASH");
  add(
    "symlink",
    crateWith(rawTarEntry({ path: `${ROOT}/link`, type: "2", linkname: "/etc/passwd" })),
    "CRATE_ARCHIVE_SYMLINK",
  );
  add(
    "hardlink",
    crateWith(rawTarEntry({ path: `${ROOT}/hard`, type: "1", linkname: "/etc/passwd" })),
    "CRATE_ARCHIVE_HARDLINK",
  );
  add("character device", crateWith(rawTarEntry({ path: `${ROOT}/tty`, type: "3" })), "CRATE_ARCHIVE_DEVICE");
  add("block device", crateWith(rawTarEntry({ path: `${ROOT}/sda`, type: "4" })), "CRATE_ARCHIVE_DEVICE");
  add("fifo", crateWith(rawTarEntry({ path: `${ROOT}/pipe`, type: "6" })), "CRATE_ARCHIVE_FIFO");
  add(
    "GNU sparse file",
    crateWith(rawTarEntry({ path: `${ROOT}/sparse`, type: "S" })),
    "CRATE_ARCHIVE_UNSUPPORTED_ENTRY_TYPE",
  );
  add(
    "duplicate path",
    crateWith(file(`${ROOT}/src/lib.rs`), file(`${ROOT}/src/lib.rs`)),
    "CRATE_ARCHIVE_DUPLICATE_PATH",
  );
  add("duplicate Cargo.toml", crateWith(manifestEntry()), "CRATE_ARCHIVE_DUPLICATE_PATH");
  add(
    "case-only collision",
    crateWith(file(`${ROOT}/README`), file(`${ROOT}/readme`)),
    "CRATE_ARCHIVE_CASE_COLLISION",
  );
  add(
    "file and directory",
    crateWith(file(`${ROOT}/src`), file(`${ROOT}/src/lib.rs`)),
    "CRATE_ARCHIVE_PATH_CONFLICT",
  );
  add(
    "non-UTF-8 name",
    crateWith(file(concatBytes([enc.encode(`${ROOT}/`), new Uint8Array([0xff, 0xfe, 0x2e, 0x72, 0x73])]))),
    "CRATE_ARCHIVE_PATH_NOT_UTF8",
  );
  add("wrong prefix", crateWith(file("other-0.1.0/src/lib.rs")), "CRATE_ARCHIVE_PATH_PREFIX");
  add("no prefix", crateWith(file("lib.rs")), "CRATE_ARCHIVE_PATH_PREFIX");
  add(
    "missing Cargo.toml",
    gzipBytes(rawTar([file(`${ROOT}/src/lib.rs`)])),
    "CRATE_ARCHIVE_MISSING_MANIFEST",
  );
  add(
    "Cargo.toml only in a subdirectory",
    gzipBytes(rawTar([file(`${ROOT}/sub/Cargo.toml`)])),
    "CRATE_ARCHIVE_MISSING_MANIFEST",
  );
  add("entry count bomb", entryCountBomb(), "CRATE_ARCHIVE_TOO_MANY_ENTRIES");
  add("gzip bomb", gzipBomb(), "CRATE_ARCHIVE_RATIO");
  add(
    "lying size field (huge)",
    gzipBytes(concatBytes([manifestEntry(), rawTarEntry({ path: `${ROOT}/big`, size: 600 * 1024 * 1024 })])),
    "CRATE_ARCHIVE_TOO_LARGE",
  );
  add(
    "lying size field (longer than the data)",
    gzipBytes(
      concatBytes([manifestEntry(), rawTarEntry({ path: `${ROOT}/short`, data: "x", size: 100_000 })]),
    ),
    "CRATE_ARCHIVE_TRUNCATED",
  );
  {
    const tar = rawTar([manifestEntry(), file(`${ROOT}/src/lib.rs`, { data: "x".repeat(2000) })]);
    add("truncated tar", gzipBytes(tar.subarray(0, 512 * 3 + 100)), "CRATE_ARCHIVE_TRUNCATED");
    const gz = gzipBytes(tar);
    add("truncated gzip stream", gz.subarray(0, Math.floor(gz.length / 2)), "CRATE_ARCHIVE_TRUNCATED");
    add("no end-of-archive marker", gzipBytes(tar.subarray(0, tar.length - 1024)), "CRATE_ARCHIVE_TRUNCATED");
    const flipped = gz.slice();
    flipped[flipped.length - 6] = flipped[flipped.length - 6]! ^ 0xff;
    add("gzip CRC mismatch", flipped, "CRATE_ARCHIVE_GZIP_CRC");
    add(
      "data after the gzip stream",
      concatBytes([gz, enc.encode("extra")]),
      "CRATE_ARCHIVE_GZIP_TRAILING_DATA",
    );
    add(
      "second gzip member",
      concatBytes([gz, gzipBytes(rawTar([file(`${ROOT}/hidden.rs`)]))]),
      "CRATE_ARCHIVE_GZIP_TRAILING_DATA",
    );
    add(
      "trailing garbage after the tar",
      gzipBytes(concatBytes([tar, file(`${ROOT}/hidden.rs`)])),
      "CRATE_ARCHIVE_TRAILING_GARBAGE",
    );
  }
  add("not gzip", rawTar([manifestEntry()]), "CRATE_ARCHIVE_GZIP_INVALID");
  add(
    "bad header checksum",
    crateWith(file(`${ROOT}/src/lib.rs`, { badChecksum: true })),
    "CRATE_ARCHIVE_HEADER_CHECKSUM",
  );
  add("setuid file", crateWith(file(`${ROOT}/suid`, { mode: 0o4755 })), "CRATE_ARCHIVE_SPECIAL_MODE");
  add("setgid file", crateWith(file(`${ROOT}/sgid`, { mode: 0o2755 })), "CRATE_ARCHIVE_SPECIAL_MODE");
  add(
    "sticky directory",
    crateWith(rawTarEntry({ path: `${ROOT}/tmp/`, type: "5", mode: 0o1777 })),
    "CRATE_ARCHIVE_SPECIAL_MODE",
  );
  add(
    "pax linkpath",
    crateWith(paxEntry({ linkpath: "/etc/passwd" }), file(`${ROOT}/innocent.rs`)),
    "CRATE_ARCHIVE_LINKPATH",
  );
  add(
    "pax path with dot-dot",
    crateWith(paxEntry({ path: `${ROOT}/../../escape.txt` }), file(`${ROOT}/innocent.rs`)),
    "CRATE_ARCHIVE_PATH_TRAVERSAL",
  );
  add(
    "pax path with NUL",
    crateWith(paxEntry({ path: `${ROOT}/a\u0000b.rs` }), file(`${ROOT}/innocent.rs`)),
    "CRATE_ARCHIVE_PATH_NUL",
  );
  add(
    "global pax header",
    crateWith(rawTarEntry({ path: "pax_global_header", type: "g", data: "20 path=evil-0.1.0\n" })),
    "CRATE_ARCHIVE_PAX_GLOBAL",
  );
  add(
    "GNU long name with dot-dot",
    crateWith(
      rawTarEntry({
        path: "././@LongLink",
        type: "L",
        data: `${ROOT}/${"a/".repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../escape\0`,
      }),
      file(`${ROOT}/innocent.rs`),
    ),
    "CRATE_ARCHIVE_PATH_TRAVERSAL",
  );
  add(
    "GNU long link name",
    crateWith(rawTarEntry({ path: "././@LongLink", type: "K", data: "/etc/passwd\0" }), file(`${ROOT}/link`)),
    "CRATE_ARCHIVE_LINKPATH",
  );
  return list;
}

/** Every hostile archive, built once at import (about a second: the two bombs dominate). */
export const HOSTILE_CRATES: readonly HostileCrate[] = build();
