/**
 * Single-member gzip, by hand around raw deflate: cargo's reader (flate2's GzDecoder) reads
 * only the first member and ignores what follows, so Wharf refuses anything after it rather
 * than validate bytes cargo would never see. The writer reproduces cargo's header (FNAME set
 * to the .crate file name, mtime 0, XFL 2 for best compression, OS 255).
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { crateArchiveError } from "./archive-error.js";

const FTEXT = 1;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

export interface GunzipOptions {
  /** more output than this throws `onTooLarge()` instead of allocating it */
  maxOutputBytes: number;
  onTooLarge: () => Error;
  /** used in messages */
  label: string;
}

function headerLength(bytes: Uint8Array, label: string): number {
  const truncated = () =>
    crateArchiveError("CRATE_ARCHIVE_TRUNCATED", `${label}: the gzip header is truncated`);
  if (bytes.length < 10) throw truncated();
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw crateArchiveError("CRATE_ARCHIVE_GZIP_INVALID", `${label}: not a gzip stream (bad magic bytes)`);
  }
  if (bytes[2] !== 8) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_GZIP_INVALID",
      `${label}: unknown gzip compression method ${bytes[2]}`,
    );
  }
  const flags = bytes[3]!;
  if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) !== 0) {
    throw crateArchiveError("CRATE_ARCHIVE_GZIP_INVALID", `${label}: reserved gzip header flags are set`);
  }
  let pos = 10;
  if (flags & FEXTRA) {
    if (pos + 2 > bytes.length) throw truncated();
    pos += 2 + (bytes[pos]! | (bytes[pos + 1]! << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const end = bytes.indexOf(0, pos);
      if (end < 0) throw truncated();
      pos = end + 1;
    }
  }
  if (flags & FHCRC) pos += 2;
  if (pos > bytes.length) throw truncated();
  return pos;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function gunzipSingleMember(bytes: Uint8Array, options: GunzipOptions): Uint8Array {
  const { label } = options;
  const start = headerLength(bytes, label);
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflateRawSync(bytes.subarray(start), {
      info: true,
      maxOutputLength: Math.max(1, options.maxOutputBytes),
    }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  } catch (error) {
    const code = errorCode(error);
    if (code === "ERR_BUFFER_TOO_LARGE") throw options.onTooLarge();
    if (code === "Z_BUF_ERROR") {
      throw crateArchiveError("CRATE_ARCHIVE_TRUNCATED", `${label}: the gzip stream is truncated`, {
        cause: error,
      });
    }
    throw crateArchiveError("CRATE_ARCHIVE_GZIP_INVALID", `${label}: corrupt deflate data`, { cause: error });
  }
  const output = result.buffer;
  const trailer = start + result.engine.bytesWritten;
  if (trailer + 8 > bytes.length) {
    throw crateArchiveError("CRATE_ARCHIVE_TRUNCATED", `${label}: the gzip trailer is missing`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(trailer, true) !== crc32(output)) {
    throw crateArchiveError("CRATE_ARCHIVE_GZIP_CRC", `${label}: gzip CRC-32 mismatch (corrupt download?)`);
  }
  if (view.getUint32(trailer + 4, true) !== output.length % 2 ** 32) {
    throw crateArchiveError("CRATE_ARCHIVE_GZIP_CRC", `${label}: gzip length field mismatch`);
  }
  if (trailer + 8 !== bytes.length) {
    throw crateArchiveError(
      "CRATE_ARCHIVE_GZIP_TRAILING_DATA",
      `${label}: ${bytes.length - trailer - 8} bytes follow the gzip stream`,
      { hint: "cargo reads only the first gzip member, so anything after it is refused" },
    );
  }
  return new Uint8Array(output.buffer, output.byteOffset, output.byteLength);
}

/** gzip exactly as cargo's packager writes it, so the same tar gives the same .crate bytes. */
export function gzipLikeCargo(tar: Uint8Array, fileName: string): Uint8Array {
  const name = new TextEncoder().encode(fileName);
  const header = new Uint8Array(10 + name.length + 1);
  header.set([0x1f, 0x8b, 8, FNAME, 0, 0, 0, 0, 2, 0xff]);
  header.set(name, 10);
  const body = deflateRawSync(tar, { level: 9 });
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc32(tar), true);
  view.setUint32(4, tar.length % 2 ** 32, true);
  const out = new Uint8Array(header.length + body.length + 8);
  out.set(header, 0);
  out.set(body, header.length);
  out.set(trailer, header.length + body.length);
  return out;
}
