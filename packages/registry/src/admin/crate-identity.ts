/**
 * The name and version a .crate file claims, read from its first tar entry's
 * `<name>-<version>/` prefix, so `registry import` can keep .crate files byte for byte
 * without trusting their file names. The full validation happens afterwards in
 * readCrateArchive with the identity found here.
 */
import { gunzipSync } from "node:zlib";
import { tryParseVersion, validateRegistryCrateName, WharfError } from "@wharf/protocol";

function cString(block: Uint8Array, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const end = slice.indexOf(0);
  return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end));
}

export function crateIdentity(bytes: Uint8Array, file: string): { name: string; version: string } {
  let head: Uint8Array;
  try {
    // the first entry, and a GNU long name's data block, are within the first few KiB
    head = gunzipSync(bytes, { maxOutputLength: 64 * 1024 });
  } catch (error) {
    // maxOutputLength stops a large archive early; the partial output is what we need
    const partial = (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    if (!partial)
      throw new WharfError({
        code: "IMPORT_NOT_A_CRATE",
        message: `\`${file}\` is not a gzip file`,
        cause: error,
      });
    head = gunzipSync(bytes.subarray(0, Math.min(bytes.length, 16 * 1024)), { finishFlush: 2 });
  }
  if (head.length < 512)
    throw new WharfError({ code: "IMPORT_NOT_A_CRATE", message: `\`${file}\` is too short to be a .crate` });
  let path = cString(head, 0, 100);
  const type = String.fromCharCode(head[156] ?? 0);
  if (type === "L" && head.length >= 1024) path = cString(head, 512, 512);
  const prefix = path.split("/")[0] ?? "";
  for (let i = prefix.indexOf("-"); i > 0; i = prefix.indexOf("-", i + 1)) {
    const name = prefix.slice(0, i);
    const version = prefix.slice(i + 1);
    if (validateRegistryCrateName(name) === undefined && tryParseVersion(version).ok)
      return { name, version };
  }
  throw new WharfError({
    code: "IMPORT_NOT_A_CRATE",
    message: `\`${file}\` does not start with a \`<name>-<version>/\` directory (found \`${prefix.slice(0, 100)}\`)`,
  });
}
