/**
 * Reading one TOML file (cargo config or wharf.toml) with errors that point at the file,
 * line and column, so a typo is found without guessing which of several files is meant.
 */
import { readFileSync } from "node:fs";
import { WharfError } from "@wharf/protocol";
import { parse, TomlError, type TomlTable } from "smol-toml";

/** Big enough for any real config; stops a hostile project from feeding us a huge file. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** Parses TOML text; `file` is only used in the error message. */
export function parseTomlText(text: string, file: string): TomlTable {
  try {
    // integersAsBigInt keeps integers and floats apart (cargo rejects floats) and keeps i64.
    return parse(text, { integersAsBigInt: true, maxDepth: 128 });
  } catch (error) {
    if (error instanceof TomlError) {
      const [first = "", ...rest] = error.message.split("\n");
      const reason = first.replace(/^Invalid TOML document:\s*/, "");
      throw new WharfError({
        code: "CONFIG_TOML_SYNTAX",
        message: `could not parse TOML configuration in ${file}:${error.line}:${error.column}: ${reason}`,
        notes: error.codeblock ? [error.codeblock] : rest.filter((l) => l.trim() !== "").slice(0, 3),
        cause: error,
      });
    }
    throw error;
  }
}

export function readTomlFile(path: string): TomlTable {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_CONFIG_FILE_BYTES) {
      throw new WharfError({
        code: "CONFIG_TOO_LARGE",
        message: `configuration file ${path} is ${bytes.length} bytes, more than the ${MAX_CONFIG_FILE_BYTES} allowed`,
      });
    }
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof WharfError) throw error;
    throw new WharfError({
      code: "CONFIG_READ",
      message: `failed to read configuration file \`${path}\``,
      cause: error,
    });
  }
  return parseTomlText(text, path);
}
