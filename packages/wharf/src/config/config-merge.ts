/**
 * The merged cargo config tree: discovered files (deepest directory first, CARGO_HOME
 * last; deeper wins, lists concatenate shallow-to-deep), then `--config` on top. The
 * environment is not folded in here, because cargo applies it per key on read (see
 * config-reader.ts), which is also what makes `CARGO_*` lists append rather than replace.
 */
import { resolve } from "node:path";
import type { Diagnostic } from "@wharf/protocol";
import { cliArgsAsTable } from "./config-cli.js";
import { discoverConfigFiles, loadConfigFile } from "./config-discovery.js";
import { type ConfigTable, emptyTable, mergeConfigValue } from "./config-value.js";
import { BUILTIN } from "./definition.js";

export interface MergeCargoConfigOptions {
  /** directory the search starts from (cargo's cwd) */
  cwd: string;
  /** CARGO_HOME; the caller decides the default, this module never looks at ~ */
  cargoHome: string;
  /** `--config` arguments in command-line order */
  cliConfig?: readonly string[] | undefined;
}

export interface MergedCargoConfig {
  values: ConfigTable;
  /** config files read, in merge order (includes not listed) */
  files: string[];
  warnings: Diagnostic[];
}

export function mergeCargoConfig(options: MergeCargoConfigOptions): MergedCargoConfig {
  const cwd = resolve(options.cwd);
  const { files, warnings } = discoverConfigFiles({ cwd, cargoHome: options.cargoHome });
  const values = emptyTable(BUILTIN);
  for (const file of files) {
    mergeConfigValue(values, loadConfigFile(file, { why: "discovery", cwd }), false);
  }
  if (options.cliConfig !== undefined && options.cliConfig.length > 0) {
    mergeConfigValue(values, cliArgsAsTable({ args: options.cliConfig, cwd }), true);
  }
  return { values, files, warnings };
}
