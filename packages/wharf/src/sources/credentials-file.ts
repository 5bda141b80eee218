/**
 * Reading a credentials file (WHARF_HOME/credentials.toml, or cargo's CARGO_HOME/credentials
 * [.toml]) in cargo's format: `[registries.NAME] token = "..."`, `[registry] token = "..."`
 * for crates.io, and the legacy top-level `token`. A file that group or others can access
 * is refused before a byte of it is read: a token there is already as good as leaked. A
 * syntax error names the file, line and column but never shows the offending line.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { WharfError } from "@wharf/protocol";
import { parse, TomlError } from "smol-toml";
import { Secret } from "../config/index.js";

/** Real credentials files are a few hundred bytes. */
const MAX_CREDENTIALS_BYTES = 256 * 1024;

export interface CredentialsFile {
  path: string;
  /** registry name (`crates-io` for crates.io) to token */
  tokens: ReadonlyMap<string, Secret>;
}

function fail(path: string, message: string, hint?: string, cause?: unknown): WharfError {
  return new WharfError({ code: "CREDENTIALS_FILE_INVALID", message: `${path}: ${message}`, hint, cause });
}

/** Reads the file's bytes after the permission check, on the same open descriptor (no race). */
function readChecked(path: string): Buffer | undefined {
  let fd: number;
  try {
    // a symlink is followed (cargo's docs suggest `credentials` -> `credentials.toml`); the
    // mode checked is the target's, on the descriptor that is then read
    fd = openSync(path, constants.O_RDONLY);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new WharfError({
      code: "CREDENTIALS_FILE_READ",
      message: `could not open credentials file \`${path}\``,
      cause: error,
    });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw fail(path, "is not a regular file");
    if ((st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, "0");
      throw new WharfError({
        code: "CREDENTIALS_FILE_PERMISSIONS",
        message: `refusing to read credentials file \`${path}\`: its mode is ${mode}, so users other than its owner can read or change it`,
        hint: `run \`chmod 600 ${path}\` (and replace any token that may have been read by others)`,
      });
    }
    if (st.size > MAX_CREDENTIALS_BYTES)
      throw fail(path, `is ${st.size} bytes, more than a credentials file needs`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function tokenOf(table: unknown, path: string, key: string): Secret | undefined {
  if (typeof table !== "object" || table === null || Array.isArray(table)) return undefined;
  const token = (table as Record<string, unknown>).token;
  if (token === undefined) return undefined;
  if (typeof token !== "string") throw fail(path, `\`${key}.token\` must be a string`);
  return new Secret(token);
}

/** The tokens in one credentials file, or undefined when it does not exist. */
export function readCredentialsFile(path: string): CredentialsFile | undefined {
  const bytes = readChecked(path);
  if (bytes === undefined) return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    // smol-toml's message quotes the line, which may be the token itself: keep only the position
    const where = error instanceof TomlError ? `:${error.line}:${error.column}` : "";
    throw new WharfError({
      code: "CREDENTIALS_FILE_INVALID",
      message: `could not parse credentials file ${path}${where} (the text is not shown, it may hold a token)`,
    });
  }
  const tokens = new Map<string, Secret>();
  const legacy = tokenOf(doc, path, "<root>");
  const registry = tokenOf(doc.registry, path, "registry") ?? legacy;
  if (registry !== undefined) tokens.set("crates-io", registry);
  const registries = doc.registries;
  if (typeof registries === "object" && registries !== null && !Array.isArray(registries)) {
    for (const [name, table] of Object.entries(registries)) {
      const token = tokenOf(table, path, `registries.${name}`);
      // `registry.token` is crates.io's key; cargo never reads `registries.crates-io.token`
      if (token !== undefined && name !== "crates-io") tokens.set(name, token);
    }
  }
  return { path, tokens };
}
