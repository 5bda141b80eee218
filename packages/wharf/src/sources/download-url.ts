/**
 * The download URL of a .crate from config.json's `dl`: cargo's markers, or the default
 * `/{crate}/{version}/download` suffix when `dl` has none.
 */
import { indexFilePath, WharfError } from "@wharf/protocol";

const MARKERS = ["{crate}", "{version}", "{prefix}", "{lowerprefix}", "{sha256-checksum}"] as const;

/** cargo's prefix: the index path without the file name, keeping the crate name's case. */
export function cratePrefix(name: string): string {
  indexFilePath(name); // refuses anything that is not a crate name
  switch (name.length) {
    case 1:
      return "1";
    case 2:
      return "2";
    case 3:
      return `3/${name[0]}`;
    default:
      return `${name.slice(0, 2)}/${name.slice(2, 4)}`;
  }
}

/** what a semver version can contain; anything else must not reach a URL */
const VERSION_RE = /^[0-9A-Za-z.+-]{1,256}$/;

export function downloadUrl(dl: string, name: string, version: string, cksum: string): string {
  indexFilePath(name); // refuses anything that is not a crate name
  if (!VERSION_RE.test(version)) {
    throw new WharfError({
      code: "INDEX_LINE_VERSION",
      message: `\`${JSON.stringify(version).slice(1, -1)}\` is not a version that can be downloaded`,
    });
  }
  if (!MARKERS.some((m) => dl.includes(m))) {
    return `${dl.replace(/\/+$/, "")}/${name}/${version}/download`;
  }
  const prefix = cratePrefix(name);
  return dl
    .replaceAll("{crate}", name)
    .replaceAll("{version}", version)
    .replaceAll("{lowerprefix}", prefix.toLowerCase())
    .replaceAll("{prefix}", prefix)
    .replaceAll("{sha256-checksum}", cksum);
}
