/**
 * The one call the rest of Wharf makes for cargo configuration: discover, merge, apply
 * `--config` and the environment, type-check, and resolve the proxy.
 */
import { resolve } from "node:path";
import type { Diagnostic } from "@wharf/protocol";
import type { CargoConfig } from "./cargo-config.js";
import { mergeCargoConfig } from "./config-merge.js";
import { ConfigReader, type Env } from "./config-reader.js";
import { type ProxySetting, resolveProxy } from "./proxy.js";
import { readCargoConfig } from "./read-cargo-config.js";

export interface LoadCargoConfigOptions {
  /** where discovery starts (the directory cargo was run in) */
  cwd: string;
  /** CARGO_HOME; the CLI computes the default, never this module */
  cargoHome: string;
  /** the process environment, passed in */
  env: Env;
  /** `--config` arguments in command-line order */
  cliConfig?: readonly string[] | undefined;
}

export interface LoadedCargoConfig {
  config: CargoConfig;
  /** raw access to any key (with env applied), for keys outside CargoConfig */
  reader: ConfigReader;
  proxy: ProxySetting;
  /** config files read, in merge order */
  files: string[];
  warnings: Diagnostic[];
}

export function loadCargoConfig(options: LoadCargoConfigOptions): LoadedCargoConfig {
  const cwd = resolve(options.cwd);
  const merged = mergeCargoConfig({ cwd, cargoHome: options.cargoHome, cliConfig: options.cliConfig });
  const reader = new ConfigReader({ values: merged.values, env: options.env, cwd });
  const { config, warnings } = readCargoConfig(reader);
  const proxy = resolveProxy({ http: config.http, env: options.env });
  return {
    config,
    reader,
    proxy: proxy.proxy,
    files: merged.files,
    warnings: [...merged.warnings, ...warnings, ...proxy.warnings],
  };
}
