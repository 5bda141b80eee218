/**
 * The 512-byte tar header (POSIX ustar, GNU and old v7 layouts) as byte offsets, with the
 * numeric-field encodings tar-rs writes (zero-padded octal, NUL-terminated) and reads
 * (also GNU base-256 for values that overflow octal).
 */

export const BLOCK = 512;

/** offset and length of each header field */
export const FIELD = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeflag: [156, 1],
  linkname: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

export type FieldName = keyof typeof FIELD;

export function field(block: Uint8Array, name: FieldName): Uint8Array {
  const [offset, length] = FIELD[name];
  return block.subarray(offset, offset + length);
}

/** The header formats we tell apart: only POSIX ustar has the `prefix` field. */
export type HeaderFormat = "ustar" | "gnu" | "v7";

export function headerFormat(block: Uint8Array): HeaderFormat | undefined {
  const magic = field(block, "magic");
  const version = field(block, "version");
  const is = (bytes: Uint8Array, text: string) =>
    bytes.length === text.length && [...text].every((ch, i) => bytes[i] === ch.charCodeAt(0));
  if (is(magic, "ustar\0") && is(version, "00")) return "ustar";
  if (is(magic, "ustar ") && is(version, " \0")) return "gnu";
  if (magic.every((b) => b === 0) && version.every((b) => b === 0)) return "v7";
  return undefined;
}

/** The bytes of a NUL-terminated (or full-width) string field. */
export function cString(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/**
 * Parses a numeric field, or returns undefined when it is not a valid encoding. Accepts
 * octal padded with leading spaces/zeros and ended by NUL or space (every tar writer's
 * variant), an empty field as 0, and positive GNU base-256. Results above 2^53 are refused
 * so later arithmetic stays exact.
 */
export function parseNumeric(bytes: Uint8Array): number | undefined {
  const first = bytes[0];
  if (first !== undefined && (first & 0x80) !== 0) {
    if (first !== 0x80) return undefined;
    let value = 0n;
    for (const b of bytes.subarray(1)) value = (value << 8n) | BigInt(b);
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(value);
  }
  let i = 0;
  while (i < bytes.length && bytes[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x30 || b > 0x37) break;
    value = value * 8 + (b - 0x30);
    digits++;
    i++;
  }
  for (; i < bytes.length; i++) {
    if (bytes[i] !== 0 && bytes[i] !== 0x20) return undefined;
  }
  if (digits === 0 && bytes.some((b) => b !== 0 && b !== 0x20)) return undefined;
  return value > Number.MAX_SAFE_INTEGER ? undefined : value;
}

/** Writes `value` as tar-rs does: octal right-aligned, zero-padded, last byte NUL. */
export function writeOctal(block: Uint8Array, name: FieldName, value: number): void {
  const [offset, length] = FIELD[name];
  const digits = value.toString(8).padStart(length - 1, "0");
  if (digits.length > length - 1) throw new RangeError(`${value} does not fit the tar ${name} field`);
  for (let i = 0; i < length - 1; i++) block[offset + i] = digits.charCodeAt(i);
  block[offset + length - 1] = 0;
}

export function writeBytes(block: Uint8Array, name: FieldName, bytes: Uint8Array): void {
  const [offset, length] = FIELD[name];
  if (bytes.length > length) throw new RangeError(`value does not fit the tar ${name} field`);
  block.set(bytes, offset);
}

/** The header checksum: the unsigned byte sum with the checksum field read as spaces. */
export function headerChecksum(block: Uint8Array): number {
  const [offset, length] = FIELD.checksum;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= offset && i < offset + length ? 0x20 : block[i]!;
  return sum;
}

export function isZeroBlock(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

export function paddedSize(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}
