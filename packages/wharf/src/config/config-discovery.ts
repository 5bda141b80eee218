/**
 * Finding and reading cargo config files: `.cargo/config.toml` (or the legacy
 * `.cargo/config`) in the cwd and every ancestor, then CARGO_HOME's, plus `include`d
 * files. Mirrors cargo's `walk_tree`, `get_file_path` and `load_includes`.
 */
import { realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type Diagnostic, WharfError } from "@wharf/protocol";
import {
  type ConfigTable,
  type ConfigValue,
  configValueFromToml,
  emptyTable,
  mergeConfigValue,
} from "./config-value.js";
import { type Definition, definitionFile, describeDefinition } from "./definition.js";
import { readTomlFile } from "./toml-file.js";

/** Why a file is read: discovered files and `--config FILE` get different Definitions. */
export type WhyLoad = "discovery" | "cli";

function identity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * The config file in one directory. The extension-less legacy name wins when both exist
 * (backwards compatibility, as cargo does), with cargo's warnings; a `config` that is a
 * symlink to `config.toml` is the supported way to serve old cargos and does not warn.
 */
export function findConfigFile(dir: string, warnings: Diagnostic[]): string | undefined {
  const legacy = join(dir, "config");
  const modern = join(dir, "config.toml");
  const legacyId = identity(legacy);
  if (legacyId !== undefined) {
    const modernId = identity(modern);
    if (modernId !== undefined) {
      if (modernId !== legacyId) {
        warnings.push({
          level: "warning",
          code: "CONFIG_BOTH_FILES",
          file: legacy,
          message: `both \`${legacy}\` and \`${modern}\` exist. Using \`${legacy}\``,
        });
      }
    } else {
      warnings.push({
        level: "warning",
        code: "CONFIG_LEGACY_NAME",
        file: legacy,
        message: `\`${legacy}\` is deprecated in favor of \`config.toml\` (help: if you need to support cargo 1.38 or earlier, you can symlink \`config\` to \`config.toml\`)`,
      });
    }
    return legacy;
  }
  return identity(modern) !== undefined ? modern : undefined;
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export interface DiscoverOptions {
  /** absolute directory the walk starts from */
  cwd: string;
  /** CARGO_HOME, read last; skipped when it is one of the `.cargo` dirs already walked */
  cargoHome: string;
}

/** Config files in merge order: the deepest directory first, CARGO_HOME last. */
export function discoverConfigFiles(options: DiscoverOptions): { files: string[]; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  let current = resolve(options.cwd);
  for (;;) {
    const configRoot = join(current, ".cargo");
    const found = findConfigFile(configRoot, warnings);
    if (found !== undefined) files.push(found);
    seen.add(canonical(configRoot));
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  const home = resolve(options.cwd, options.cargoHome);
  if (!seen.has(canonical(home)) && !seen.has(home)) {
    const found = findConfigFile(home, warnings);
    if (found !== undefined) files.push(found);
  }
  return { files, warnings };
}

interface ConfigInclude {
  path: string;
  definition: Definition;
  optional: boolean;
}

function includeError(message: string): WharfError {
  return new WharfError({
    code: "CONFIG_INCLUDE",
    message,
    hint: 'write `include = ["other.toml"]` or `include = [{ path = "other.toml", optional = true }]`',
  });
}

/** Removes `include` from a loaded file and returns the files it names, validated like cargo. */
function takeIncludes(table: ConfigTable): ConfigInclude[] {
  const include = table.entries.get("include");
  if (include === undefined) return [];
  table.entries.delete("include");
  const where = describeDefinition(include.definition);
  if (include.kind !== "list") {
    throw includeError(
      `expected a list of strings or a list of tables, but found ${include.kind} at \`include\` in \`${where}\``,
    );
  }
  const out = include.items.map((item, idx): ConfigInclude => {
    if (item.kind === "string") return { path: item.value, definition: item.definition, optional: false };
    if (item.kind === "table") {
      const path = item.entries.get("path");
      if (path === undefined)
        throw includeError(`missing field \`path\` at \`include[${idx}]\` in \`${where}\``);
      if (path.kind !== "string") {
        throw includeError(
          `expected a string, but found ${path.kind} at \`include[${idx}].path\` in \`${where}\``,
        );
      }
      const optional = item.entries.get("optional");
      if (optional !== undefined && optional.kind !== "boolean") {
        throw includeError(
          `expected a boolean, but found ${optional.kind} at \`include[${idx}].optional\` in \`${where}\``,
        );
      }
      return { path: path.value, definition: item.definition, optional: optional?.value === true };
    }
    throw includeError(
      `expected a string or table, but found ${item.kind} at \`include[${idx}]\` in ${where}`,
    );
  });
  for (const inc of out) {
    const from = describeDefinition(inc.definition);
    if (!inc.path.endsWith(".toml") || inc.path === ".toml" || inc.path.endsWith("/.toml")) {
      throw includeError(
        `expected a config include path ending with \`.toml\`, but found \`${inc.path}\` from \`${from}\``,
      );
    }
    if (/[*?[\]]/.test(inc.path)) {
      throw includeError(
        `expected a config include path without glob patterns, but found \`${inc.path}\` from \`${from}\``,
      );
    }
    if (/[{}]/.test(inc.path)) {
      throw includeError(
        `expected a config include path without template braces, but found \`${inc.path}\` from \`${from}\``,
      );
    }
  }
  return out;
}

export interface LoadFileOptions {
  why: WhyLoad;
  /** where relative includes of `--config KEY=VALUE` are resolved */
  cwd: string;
  /** files already being loaded in this chain, to refuse include cycles */
  seen?: Set<string>;
}

/** Reads one config file and merges the files it includes under it (the file itself wins). */
export function loadConfigFile(path: string, options: LoadFileOptions): ConfigTable {
  const seen = options.seen ?? new Set<string>();
  if (seen.has(path)) {
    throw new WharfError({
      code: "CONFIG_INCLUDE_CYCLE",
      message: `config \`include\` cycle detected with path \`${path}\``,
    });
  }
  seen.add(path);
  const definition: Definition = options.why === "cli" ? { kind: "cli", path } : { kind: "path", path };
  const value = configValueFromToml(readTomlFile(path), definition) as ConfigTable;
  return loadIncludes(value, { ...options, seen });
}

/**
 * Merges the `include`d files of `value`, in order, below `value` itself (cargo's
 * `load_includes`: includes with force, then the including file with force).
 */
export function loadIncludes(value: ConfigTable, options: LoadFileOptions): ConfigTable {
  const includes = takeIncludes(value);
  if (includes.length === 0) return value;
  const root = emptyTable(value.definition);
  for (const inc of includes) {
    const def = inc.definition;
    const file = definitionFile(def);
    const base = file === undefined ? options.cwd : dirname(file);
    const abs = resolve(base, inc.path);
    if (inc.optional && identity(abs) === undefined) continue;
    let loaded: ConfigValue;
    try {
      loaded = loadConfigFile(abs, { ...options, seen: options.seen ?? new Set() });
    } catch (error) {
      if (error instanceof WharfError && error.code === "CONFIG_READ") {
        throw new WharfError({
          code: "CONFIG_INCLUDE",
          message: `failed to load config include \`${inc.path}\` from \`${describeDefinition(def)}\``,
          cause: error,
        });
      }
      throw error;
    }
    mergeConfigValue(root, loaded, true);
  }
  mergeConfigValue(root, value, true);
  return root;
}
