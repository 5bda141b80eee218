/**
 * `--config KEY=VALUE` and `--config FILE` arguments, with cargo's restrictions: one TOML
 * dotted-key assignment, no inline tables, no comments, and never a registry token (a
 * token on the command line ends up in shell history and `ps` output).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { WharfError } from "@wharf/protocol";
import { parse, TomlDate, type TomlTable } from "smol-toml";
import { loadConfigFile, loadIncludes } from "./config-discovery.js";
import { type ConfigTable, configValueFromToml, emptyTable, mergeConfigValue } from "./config-value.js";

const BARE = /[A-Za-z0-9_-]/;

/** Reads the dotted key at the start of `arg`; undefined when it is not `key(.key)* =`. */
function scanDottedKey(arg: string): { parts: string[]; valueStart: number } | undefined {
  let i = 0;
  const ws = () => {
    while (arg[i] === " " || arg[i] === "\t") i++;
  };
  const parts: string[] = [];
  ws();
  for (;;) {
    const c = arg[i];
    if (c === '"' || c === "'") {
      // Let the TOML parser decode escapes: find the closing quote, then parse it alone.
      let j = i + 1;
      while (j < arg.length && arg[j] !== c && arg[j] !== "\n") j += c === '"' && arg[j] === "\\" ? 2 : 1;
      if (arg[j] !== c) return undefined;
      try {
        const key = Object.keys(parse(`${arg.slice(i, j + 1)} = 0`))[0];
        if (key === undefined) return undefined;
        parts.push(key);
      } catch {
        return undefined;
      }
      i = j + 1;
    } else {
      const start = i;
      while (i < arg.length && BARE.test(arg[i] as string)) i++;
      if (i === start) return undefined;
      parts.push(arg.slice(start, i));
    }
    ws();
    if (arg[i] === ".") {
      i++;
      ws();
      continue;
    }
    if (arg[i] !== "=") return undefined;
    return { parts, valueStart: i + 1 };
  }
}

/** True when `text` has a `#` comment outside any string literal. */
function hasComment(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('"""', i) || text.startsWith("'''", i)) {
      const q = text.slice(i, i + 3);
      let j = i + 3;
      while (j < text.length && !text.startsWith(q, j)) j += q === '"""' && text[j] === "\\" ? 2 : 1;
      i = j + 3;
      while (text[i] === q[0]) i++;
    } else if (text[i] === '"' || text[i] === "'") {
      const q = text[i];
      let j = i + 1;
      while (j < text.length && text[j] !== q) j += q === '"' && text[j] === "\\" ? 2 : 1;
      i = j + 1;
    } else if (text[i] === "#") {
      return true;
    } else {
      i++;
    }
  }
  return false;
}

function cliError(message: string, cause?: unknown): WharfError {
  return new WharfError({
    code: "CONFIG_CLI_ARG",
    message,
    hint: "pass `--config KEY=VALUE` with a TOML dotted key, e.g. `--config build.jobs=2`, or a path to a TOML file",
    cause,
  });
}

function isPlainTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

/** Parses one `KEY=VALUE` argument into a TOML table, enforcing cargo's rules. */
export function parseConfigAssignment(arg: string): TomlTable {
  const scanned = scanDottedKey(arg);
  let doc: TomlTable;
  try {
    doc = parse(arg, { integersAsBigInt: true, maxDepth: 64 });
  } catch (error) {
    throw cliError(
      `failed to parse value from --config argument \`${arg}\` as a dotted key expression`,
      error,
    );
  }
  const notDotted = () =>
    cliError(
      `--config argument \`${arg}\` was not a TOML dotted key expression (such as \`build.jobs = 2\`)`,
    );
  if (scanned === undefined) throw notDotted();
  let node: unknown = doc;
  for (const part of scanned.parts) {
    if (!isPlainTable(node)) throw notDotted();
    const keys = Object.keys(node);
    if (keys.length !== 1 || keys[0] !== part) throw notDotted();
    node = node[part];
  }
  if (isPlainTable(node)) {
    throw cliError(`--config argument \`${arg}\` sets a value to an inline table, which is not accepted`);
  }
  if (hasComment(arg.slice(scanned.valueStart))) {
    throw cliError(`--config argument \`${arg}\` includes non-whitespace decoration`);
  }
  refuseSecrets(doc);
  return doc;
}

function refuseSecrets(doc: TomlTable): void {
  for (const field of ["token", "secret-key"]) {
    const registry = doc["registry"];
    if (isPlainTable(registry) && registry[field] !== undefined) {
      throw cliError(`registry.${field} cannot be set through --config for security reasons`);
    }
    const registries = doc["registries"];
    if (isPlainTable(registries)) {
      for (const [name, reg] of Object.entries(registries)) {
        if (isPlainTable(reg) && reg[field] !== undefined) {
          throw cliError(`registries.${name}.${field} cannot be set through --config for security reasons`);
        }
      }
    }
  }
}

export interface CliConfigOptions {
  /** the `--config` arguments in command-line order; later ones win */
  args: readonly string[];
  cwd: string;
}

/**
 * All `--config` arguments merged into one table (cargo's `cli_args_as_table`). An
 * argument naming an existing file (relative to the cwd) is read as a config file whose
 * relative paths resolve against that file; anything else is a `KEY=VALUE` assignment.
 */
export function cliArgsAsTable(options: CliConfigOptions): ConfigTable {
  const loaded = emptyTable({ kind: "cli" });
  const seen = new Set<string>();
  for (const arg of options.args) {
    const asPath = resolve(options.cwd, arg);
    let table: ConfigTable;
    if (arg !== "" && existsSync(asPath)) {
      table = loadConfigFile(asPath, { why: "cli", cwd: options.cwd, seen });
    } else {
      const doc = parseConfigAssignment(arg);
      try {
        table = configValueFromToml(doc, { kind: "cli" }) as ConfigTable;
      } catch (error) {
        throw cliError(`failed to convert --config argument \`${arg}\``, error);
      }
      table = loadIncludes(table, { why: "cli", cwd: options.cwd, seen: new Set() });
    }
    mergeConfigValue(loaded, table, true);
  }
  return loaded;
}
