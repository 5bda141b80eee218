/**
 * Long encoded blobs in Rust source: base64 or hex text, and large numeric byte arrays,
 * the usual way a payload is smuggled into a build script. Thresholds are set so ordinary
 * build-script strings (checksums, link arguments, generated code templates) stay below them.
 */
import { shannonEntropy } from "./entropy.js";

/** base64 shorter than this (after joining adjacent pieces) is ignored: about 150 bytes decoded. */
export const BASE64_MIN_CHARS = 200;
/** hex shorter than this is ignored: four SHA-256 digests in a row are still fine. */
export const HEX_MIN_CHARS = 256;
/** numeric arrays with fewer elements are tables, not payloads. */
export const BYTE_ARRAY_MIN_ELEMENTS = 512;

export interface BlobVerdict {
  kind: "base64" | "hex";
  length: number;
}

/**
 * Does this string content look like an encoded payload? Whitespace and `\` line continuations
 * are dropped first, so a blob wrapped over many lines counts as one.
 */
export function encodedBlob(content: string): BlobVerdict | undefined {
  const squeezed = content.replace(/\\\r?\n\s*/g, "").replace(/\\[nrt]|\s+/g, "");
  // entropy: a bit matrix written as "0100110..." is not a payload
  if (
    squeezed.length >= HEX_MIN_CHARS &&
    /^(?:0x)?[0-9a-fA-F]+$/.test(squeezed) &&
    shannonEntropy(squeezed) >= 3
  ) {
    return { kind: "hex", length: squeezed.length };
  }
  const hexEscapes = squeezed.match(/\\x[0-9a-fA-F]{2}/g);
  if (
    hexEscapes !== null &&
    hexEscapes.length * 4 >= HEX_MIN_CHARS &&
    hexEscapes.length * 4 >= squeezed.length * 0.9
  ) {
    return { kind: "hex", length: squeezed.length };
  }
  if (squeezed.length < BASE64_MIN_CHARS) return undefined;
  const b64 = /^[A-Za-z0-9+/_-]+={0,2}$/.test(squeezed);
  if (!b64) return undefined;
  // Mixed case and digits, and the entropy of random bytes: not a long identifier or a word list.
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(squeezed)).length;
  if (classes < 3 || shannonEntropy(squeezed) < 4.5) return undefined;
  return { kind: "base64", length: squeezed.length };
}
