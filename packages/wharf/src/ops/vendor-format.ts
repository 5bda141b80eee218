/**
 * The pure half of `wharf vendor`: which files of a package are vendored, the directory
 * name each package gets, the `.cargo-checksum.json` text and the config snippet printed
 * on stdout, each in the exact form cargo 1.95 writes (checked against real `cargo vendor`).
 */
import { compareUtf8, compareVersions, parseVersion } from "@wharf/protocol";

/**
 * cargo's `vendor_this`: no `.git` path component, no `.gitattributes` / `.gitignore` file
 * anywhere (their rules would change what a VCS sees of the vendor dir), and no `.cargo-ok`
 * (cargo's own unpack marker; cargo's unpacker skips that name at any depth).
 */
export function vendorThis(relative: string): boolean {
  const parts = relative.split("/");
  if (parts.includes(".git")) return false;
  const file = parts[parts.length - 1] ?? "";
  return file !== ".gitattributes" && file !== ".gitignore" && file !== ".cargo-ok";
}

/**
 * The text of `.cargo-checksum.json`: serde_json's compact form of
 * `{"files": {path: sha256, ...}, "package": sha256 | null}` with keys in byte order.
 * JSON.stringify escapes exactly what serde_json escapes (quote, backslash, control chars
 * with the same short forms and lowercase `\u00xx`), so strings match byte for byte.
 */
export function checksumFileText(
  files: ReadonlyMap<string, string>,
  packageChecksum: string | undefined,
): string {
  const entries = [...files.entries()].sort(([a], [b]) => compareUtf8(a, b));
  const body = entries.map(([path, sum]) => `${JSON.stringify(path)}:${JSON.stringify(sum)}`).join(",");
  return `{"files":{${body}},"package":${packageChecksum === undefined ? "null" : JSON.stringify(packageChecksum)}}`;
}

export interface VendoredId {
  name: string;
  version: string;
}

/**
 * Directory names for the vendored packages, keyed `name version`: the newest version of a
 * name gets the bare name, older ones `name-version` (all of them with --versioned-dirs).
 */
export function vendorDirNames(ids: readonly VendoredId[], versionedDirs: boolean): Map<string, string> {
  const newest = new Map<string, string>();
  for (const id of ids) {
    const prev = newest.get(id.name);
    if (prev === undefined || compareVersions(parseVersion(id.version), parseVersion(prev)) > 0) {
      newest.set(id.name, id.version);
    }
  }
  const out = new Map<string, string>();
  for (const id of ids) {
    const suffixed = versionedDirs || newest.get(id.name) !== id.version;
    out.set(`${id.name} ${id.version}`, suffixed ? `${id.name}-${id.version}` : id.name);
  }
  return out;
}

/** A source the printed config redirects to the vendor directory. */
export interface ReplacedSource {
  /** the `[source.<key>]` name: `crates-io`, else the source's URL form (`registry+…`, `sparse+…`) */
  key: string;
  /** `registry = "…"` for registries other than crates.io */
  registry?: string | undefined;
}

export const VENDORED_SOURCES = "vendored-sources";

function isBareKey(key: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(key);
}

/** toml_edit's choice for a string: basic quotes, or a literal string when that avoids escapes. */
export function tomlStringRepr(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters force a basic string
  const needsEscape = /["\\\u0000-\u001f\u007f]/.test(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: literal strings cannot hold control characters
  if (needsEscape && !value.includes("'") && !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    return `'${value}'`;
  }
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

function tomlKey(key: string): string {
  return isBareKey(key) ? key : tomlStringRepr(key);
}

/**
 * What cargo prints on stdout (`toml::to_string_pretty` of `{source: {...}}`): one table
 * per replaced source plus `[source.vendored-sources]`, sorted by name, blank line between.
 * Empty when nothing was vendored (cargo then prints nothing on stdout).
 */
export function vendorConfigText(sources: readonly ReplacedSource[], destination: string): string {
  if (sources.length === 0) return "";
  const tables = new Map<string, string[]>();
  for (const s of sources) {
    const lines: string[] = [];
    if (s.registry !== undefined) lines.push(`registry = ${tomlStringRepr(s.registry)}`);
    lines.push(`replace-with = ${tomlStringRepr(VENDORED_SOURCES)}`);
    tables.set(s.key, lines);
  }
  tables.set(VENDORED_SOURCES, [`directory = ${tomlStringRepr(destination.replaceAll("\\", "/"))}`]);
  return [...tables.entries()]
    .sort(([a], [b]) => compareUtf8(a, b))
    .map(([key, lines]) => `[source.${tomlKey(key)}]\n${lines.join("\n")}\n`)
    .join("\n");
}
